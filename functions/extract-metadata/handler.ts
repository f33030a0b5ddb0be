import { S3Client } from '@aws-sdk/client-s3';
import { deletionRequester } from '#shared/deletion';
import { forEachS3Record } from '#shared/events';
import { createLogger } from '#shared/log';
import { probe } from '#shared/media';
import { createVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { type ExtractMetadataDeps, extractMetadata } from './core.ts';

const config = readConfig();
const deps: ExtractMetadataDeps = {
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  probe: (url) => probe(url, { ffprobePath: config.ffprobePath }),
  repository: createVideoRepository(config.tableName),
  bucket: config.transcodedBucket,
  now: () => new Date(),
  logger: createLogger('extract-metadata'),
  requestDeletion: deletionRequester(config.deleteVideoFunction),
};

/** SNS (transcoded bucket `ObjectCreated`): probes every new rendition and stores its metadata. */
export const handler = async (event: unknown): Promise<void> => {
  await forEachS3Record(event, async (object) => {
    await extractMetadata(object, deps);
  });
};
