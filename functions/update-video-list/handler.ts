import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachRecord, parseS3Records } from '#shared/events';
import { createLogger } from '#shared/log';
import { DynamoVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { recordFinishedRendition, type UpdateVideoListDeps } from './core.ts';

const config = readConfig();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const deps: UpdateVideoListDeps = {
  repository: new DynamoVideoRepository(documents, config.tableName),
  now: () => new Date(),
  logger: createLogger('update-video-list'),
};

/** SNS (transcoded bucket `ObjectCreated`): records every finished rendition on its video. */
export const handler = async (event: unknown): Promise<void> => {
  await forEachRecord(parseS3Records(event), async (object) => {
    await recordFinishedRendition(object, deps);
  });
};
