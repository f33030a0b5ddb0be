import { ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { S3Client } from '@aws-sdk/client-s3';
import { parseDeletionRequest } from '#shared/deletion';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { createJobCanceller } from '#shared/transcoder';
import { readConfig } from './config.ts';
import { type DeleteVideoDeps, defaultRuntime, purgeVideo } from './core.ts';

const config = readConfig();
const deps: DeleteVideoDeps = {
  repository: createVideoRepository(config.tableName),
  s3: new S3Client({ forcePathStyle: config.s3ForcePathStyle }),
  uploadBucket: config.uploadBucket,
  transcodedBucket: config.transcodedBucket,
  // Only the configured backend's client is built.
  canceller: createJobCanceller(
    config.transcoder,
    config.transcoder === 'mediaconvert'
      ? {
          mediaConvert: new MediaConvertClient(
            config.mediaConvertEndpoint ? { endpoint: config.mediaConvertEndpoint } : {},
          ),
        }
      : { elasticTranscoder: new ElasticTranscoderClient({}) },
  ),
  logger: createLogger('delete-video'),
  ...defaultRuntime,
};

/** Async invocation from `request-deletion` or a late pipeline event: purges one deleted video. */
export const handler = async (event: unknown): Promise<void> => {
  await purgeVideo(parseDeletionRequest(event), deps);
};
