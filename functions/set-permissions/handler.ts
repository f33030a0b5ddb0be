import { S3Client } from '@aws-sdk/client-s3';
import { forEachS3Record } from '#shared/events';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { applyRenditionPermission, type SetPermissionsDeps } from './core.ts';

const config = readConfig();
const deps: SetPermissionsDeps = {
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  repository: createVideoRepository(config.tableName),
  bucket: config.transcodedBucket,
  now: () => new Date(),
  logger: createLogger('set-permissions'),
};

/** SNS (transcoded bucket `ObjectCreated`): tags every new rendition as its video's visibility says. */
export const handler = async (event: unknown): Promise<void> => {
  await forEachS3Record(event, async (object) => {
    await applyRenditionPermission(object, deps);
  });
};
