import { S3Client } from '@aws-sdk/client-s3';
import { deletionRequester } from '#shared/deletion';
import { transcodeRequester } from '#shared/jobs';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { createJobReader, defaultJobClients } from '#shared/transcoder';
import { readConfig } from './config.ts';
import { DEFAULT_BOUNDS, type ReconcileDeps, reconcile, runTime } from './core.ts';

const config = readConfig();
const deps: ReconcileDeps = {
  repository: createVideoRepository(config.tableName),
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  bucket: config.transcodedBucket,
  uploadBucket: config.uploadBucket,
  // Only the configured backend's client is built.
  jobs: createJobReader(
    config.transcoder,
    defaultJobClients(config.transcoder, { mediaConvertEndpoint: config.mediaConvertEndpoint }),
  ),
  now: () => new Date(),
  logger: createLogger('reconcile-videos'),
  requestDeletion: deletionRequester(config.deleteVideoFunction),
  requestTranscode: transcodeRequester(config.transcodeVideoFunction),
  bounds: DEFAULT_BOUNDS,
};

/** The EventBridge schedule: one reconciliation run at the event's time. */
export const handler = async (event: unknown): Promise<void> => {
  await reconcile(runTime(event), deps);
};
