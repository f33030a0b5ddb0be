import type { Logger } from '@aws-lambda-powertools/logger';
import { parseRenditionKey, type Rendition } from '#shared/video';
import type { S3ObjectRecord } from './s3.ts';

/** A transcoded-bucket object that is one rendition of one video. */
export interface RenditionObject {
  readonly videoId: string;
  readonly rendition: Rendition;
  readonly bucket: string;
  readonly key: string;
}

/**
 * The rendition an S3 record names, or undefined (with a log line saying why) when the record is not
 * one a rendition step handles: a key outside the layout, or, when `expectedBucket` is given, another
 * bucket (a wiring mistake).
 */
export function renditionOf(
  record: S3ObjectRecord,
  logger: Pick<Logger, 'info' | 'warn'>,
  expectedBucket?: string,
): RenditionObject | undefined {
  const parsed = parseRenditionKey(record.key);
  if (!parsed) {
    logger.info('Not a rendition key; ignored', { bucket: record.bucket, key: record.key });
    return undefined;
  }
  const object = { ...parsed, bucket: record.bucket, key: record.key };
  if (expectedBucket !== undefined && record.bucket !== expectedBucket) {
    logger.warn('Event from a bucket other than the transcoded bucket; ignored', {
      ...object,
      expectedBucket,
    });
    return undefined;
  }
  return object;
}
