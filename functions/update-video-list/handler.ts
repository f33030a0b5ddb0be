import { forEachRecord, parseS3Records } from '#shared/events';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { recordFinishedRendition, type UpdateVideoListDeps } from './core.ts';

const config = readConfig();
const deps: UpdateVideoListDeps = {
  repository: createVideoRepository(config.tableName),
  now: () => new Date(),
  logger: createLogger('update-video-list'),
};

/** SNS (transcoded bucket `ObjectCreated`): records every finished rendition on its video. */
export const handler = async (event: unknown): Promise<void> => {
  await forEachRecord(parseS3Records(event), async (object) => {
    await recordFinishedRendition(object, deps);
  });
};
