import type { PutEventEntry } from '#local/emulators/eventbridge';
import { encodeS3Key } from '#shared/events';

/** Where a bucket notification goes: a function, a topic or a queue, by ARN. */
export interface NotificationTarget {
  readonly kind: 'lambda' | 'sns' | 'sqs';
  readonly arn: string;
}

/** One notification configuration of a bucket, as `aws_s3_bucket_notification` declares it. */
export interface NotificationConfig {
  readonly id: string;
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
  readonly target: NotificationTarget;
}

/** What the emulator knows about a stored object when it announces it. */
export interface StoredObject {
  readonly bucket: string;
  /** The key as stored (not encoded). */
  readonly key: string;
  readonly size: number;
  readonly eTag?: string;
  readonly versionId?: string;
}

/** True when an event name (`ObjectCreated:Put`) matches a configured pattern (`s3:ObjectCreated:*`). */
export function eventMatches(pattern: string, eventName: string): boolean {
  const bare = pattern.replace(/^s3:/, '');
  if (bare.endsWith(':*')) return eventName.startsWith(bare.slice(0, -1));
  return bare === eventName;
}

/** True when a configuration wants this event for this (unencoded) key: event type, prefix and suffix filters. */
export function configMatches(config: NotificationConfig, eventName: string, key: string): boolean {
  return (
    config.events.some((pattern) => eventMatches(pattern, eventName)) &&
    key.startsWith(config.prefix ?? '') &&
    key.endsWith(config.suffix ?? '')
  );
}

/**
 * Builds the S3 event notification of one object, shaped as S3 sends it. The key is
 * URL-encoded the way S3 encodes it (spaces as `+`):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function s3EventRecord(
  object: StoredObject,
  options: { eventName: string; configurationId: string; region: string; sequencer: string; time: Date },
): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: options.region,
    eventTime: options.time.toISOString(),
    eventName: options.eventName,
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': options.sequencer, 'x-amz-id-2': 'local' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: options.configurationId,
      bucket: {
        name: object.bucket,
        ownerIdentity: { principalId: 'LOCAL' },
        arn: `arn:aws:s3:::${object.bucket}`,
      },
      object: {
        key: encodeS3Key(object.key),
        size: object.size,
        ...(object.eTag !== undefined && { eTag: object.eTag }),
        ...(object.versionId !== undefined && { versionId: object.versionId }),
        sequencer: options.sequencer,
      },
    },
  };
}

/** The `reason` S3 gives an "Object Created" EventBridge event: the API that created the object. */
const REASON_OF_EVENT: Readonly<Record<string, string>> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'POST Object',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
};

/**
 * Builds the EventBridge "Object Created" event S3 puts on the default bus for a bucket with
 * EventBridge notifications on, or undefined for any other event name. The key is URL-encoded as in a
 * notification record (Powertools decodes it the same way).
 */
export function s3EventBridgeEntry(
  object: StoredObject,
  options: { eventName: string; sequencer: string; requester: string; time: Date },
): PutEventEntry | undefined {
  const reason = REASON_OF_EVENT[options.eventName];
  if (!reason) return undefined;
  return {
    source: 'aws.s3',
    detailType: 'Object Created',
    resources: [`arn:aws:s3:::${object.bucket}`],
    time: options.time,
    detail: {
      version: '0',
      bucket: { name: object.bucket },
      object: {
        key: encodeS3Key(object.key),
        size: object.size,
        ...(object.eTag !== undefined && { etag: object.eTag }),
        ...(object.versionId !== undefined && { 'version-id': object.versionId }),
        sequencer: options.sequencer,
      },
      'request-id': options.sequencer,
      requester: options.requester,
      'source-ip-address': '127.0.0.1',
      reason,
    },
  };
}

/** Makes S3-style sequencers: fixed-width upper-case hex that sorts in event order within a key. */
export function sequencerSource(): () => string {
  let last = 0n;
  return () => {
    const now = BigInt(Date.now()) * 1000n;
    last = now > last ? now : last + 1n;
    return last.toString(16).toUpperCase().padStart(16, '0');
  };
}
