import { S3Client } from '@aws-sdk/client-s3';
import { parseDeletionRequest } from '#shared/deletion';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { createJobControl, defaultJobClients } from '#shared/transcoder';
import { readConfig } from './config.ts';
import { type DeleteVideoDeps, defaultRuntime, purgeVideo } from './core.ts';

const config = readConfig();
const deps: DeleteVideoDeps = {
  repository: createVideoRepository(config.tableName),
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  uploadBucket: config.uploadBucket,
  transcodedBucket: config.transcodedBucket,
  // Only the configured backend's client is built.
  canceller: createJobControl(
    config.transcoder,
    defaultJobClients(config.transcoder, { mediaConvertEndpoint: config.mediaConvertEndpoint }),
  ),
  logger: createLogger('delete-video'),
  ...defaultRuntime,
};

/** Async invocation from `request-deletion` or a late pipeline event: purges one deleted video. */
export const handler = async (event: unknown): Promise<void> => {
  await purgeVideo(parseDeletionRequest(event), deps);
};
