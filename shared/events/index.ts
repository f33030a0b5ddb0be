export { MalformedKeyError, RecordBatchError, type RecordFailure, UnrecognizedEventError } from './errors.ts';
export { forEachRecord } from './records.ts';
export { type RenditionObject, renditionOf } from './rendition.ts';
export { forEachS3Record, parseS3Records, type S3ObjectRecord } from './s3.ts';
export { decodeS3Key, encodeS3Key } from './s3-key.ts';
export { isSnsEvent, type SnsMessage, unwrapSns } from './sns.ts';
