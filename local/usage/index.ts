export { meterDynamoDB } from './dynamodb.ts';
export {
  type AttributeValueJson,
  attributeValueSize,
  failedConditionUnits,
  type IndexShape,
  type ItemJson,
  indexEntry,
  indexWriteUnits,
  itemSize,
  readUnits,
  writeUnits,
} from './dynamodb-capacity.ts';
export { type RunningUsage, type StackBuckets, startUsage } from './local-usage.ts';
export {
  type DynamoDBUsage,
  diffUsage,
  type LambdaUsage,
  type LocalUsage,
  type S3Usage,
  type StoredBytes,
  type TranscoderOutput,
  UsageMeter,
  type UsageSnapshot,
} from './meter.ts';
export { METER_APP_ID, requesterOf } from './requester.ts';
export { meterS3Request, s3ClientFor, s3RequestTier, storedBytes } from './s3.ts';
export { type ResolutionClass, resolutionClass } from './transcoder.ts';
