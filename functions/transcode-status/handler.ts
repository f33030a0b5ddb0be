import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachRecord } from '#shared/events';
import { createLogger } from '#shared/log';
import { DynamoVideoRepository } from '#shared/store';
import { jobStateMessages, parseJobStateMessage } from '#shared/transcoder';
import { readConfig } from './config.ts';
import { applyJobState, type TranscodeStatusDeps } from './core.ts';

const config = readConfig();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const deps: TranscodeStatusDeps = {
  repository: new DynamoVideoRepository(documents, config.tableName),
  now: () => new Date(),
  logger: createLogger('transcode-status'),
};

/**
 * Job-state changes: Elastic Transcoder notifications over SNS, or EventBridge "MediaConvert Job State
 * Change". Each message is parsed on its own, so one unreadable message does not hide the others.
 */
export const handler = async (event: unknown): Promise<void> => {
  await forEachRecord(jobStateMessages(event), async (message) => {
    await applyJobState(parseJobStateMessage(message), deps);
  });
};
