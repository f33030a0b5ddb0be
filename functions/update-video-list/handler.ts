import { forEachS3Record } from '#shared/events';
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
  await forEachS3Record(event, async (object) => {
    await recordFinishedRendition(object, deps);
  });
};
