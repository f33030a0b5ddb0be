import { S3Client } from '@aws-sdk/client-s3';
import { deletionRequester } from '#shared/deletion';
import { forEachRecord } from '#shared/events';
import { type ApplyJobStateDeps, applyJobState, transcodeRequester } from '#shared/jobs';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { jobStateMessages, parseJobStateMessage } from '#shared/transcoder';
import { readConfig } from './config.ts';

const config = readConfig();
const deps: ApplyJobStateDeps = {
  repository: createVideoRepository(config.tableName),
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  bucket: config.transcodedBucket,
  now: () => new Date(),
  logger: createLogger('transcode-status'),
  requestDeletion: deletionRequester(config.deleteVideoFunction),
  requestTranscode: transcodeRequester(config.transcodeVideoFunction),
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
