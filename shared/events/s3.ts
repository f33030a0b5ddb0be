import { UnrecognizedEventError } from './errors.ts';
import { decodeS3Key } from './s3-key.ts';
import { describeShape, isObject } from './shape.ts';
import { unwrapSns } from './sns.ts';

/** One S3 object event, key already decoded. */
export interface S3ObjectRecord {
  /** As S3 names it, without the `s3:` prefix: `ObjectCreated:Put`, `ObjectCreated:CompleteMultipartUpload`, … */
  readonly eventName: string;
  readonly bucket: string;
  /** The object key, decoded: exactly the key to pass to GetObject. */
  readonly key: string;
  /** Object size in bytes (0 when S3 sends none, as for deletions). */
  readonly size: number;
  readonly eTag?: string;
  readonly versionId?: string;
  /** Orders events of one key: a greater sequencer (same length, compared as hex) is a later event. */
  readonly sequencer?: string;
  /** ISO time of the event. */
  readonly eventTime: string;
}

/**
 * Every S3 object record of an S3 event, or of an SNS event whose messages are S3 events, in order.
 * S3's `s3:TestEvent` messages (sent once when a notification is configured) are skipped. Any other
 * shape throws {@link UnrecognizedEventError}.
 */
export function parseS3Records(event: unknown): S3ObjectRecord[] {
  if (isTestEvent(event)) return [];
  if (!isObject(event) || !Array.isArray(event.Records)) {
    throw new UnrecognizedEventError(
      `Expected an S3 event ({ Records: [{ s3: ... }] }) or an SNS event carrying S3 events, got ${describeShape(event)}.`,
    );
  }
  return event.Records.flatMap((record, index) => {
    if (isObject(record) && isObject(record.Sns)) {
      return unwrapSns({ Records: [record] }).flatMap((message) => {
        if (isTestEvent(message.body)) return [];
        if (!isObject(message.body) || !Array.isArray(message.body.Records)) {
          throw new UnrecognizedEventError(
            `SNS message ${message.messageId} from ${message.topicArn || 'an unknown topic'} does not carry an S3 event ({ Records: [{ s3: ... }] }); got ${describeShape(message.body)}. Only S3 notifications may publish to this topic.`,
          );
        }
        return message.body.Records.map((inner, innerIndex) =>
          parseS3Record(
            inner,
            `record #${index}, S3 record #${innerIndex} of SNS message ${message.messageId}`,
          ),
        );
      });
    }
    return [parseS3Record(record, `record #${index}`)];
  });
}

function isTestEvent(value: unknown): boolean {
  return isObject(value) && value.Event === 's3:TestEvent';
}

function parseS3Record(record: unknown, where: string): S3ObjectRecord {
  const s3 = isObject(record) ? record.s3 : undefined;
  const bucket = isObject(s3) ? s3.bucket : undefined;
  const object = isObject(s3) ? s3.object : undefined;
  if (
    !isObject(record) ||
    typeof record.eventName !== 'string' ||
    !isObject(bucket) ||
    typeof bucket.name !== 'string' ||
    !isObject(object) ||
    typeof object.key !== 'string'
  ) {
    throw new UnrecognizedEventError(
      `${capitalize(where)} is not an S3 object record (expected eventName, s3.bucket.name and s3.object.key), got ${describeShape(record)}.`,
    );
  }
  if (object.size !== undefined && (typeof object.size !== 'number' || !Number.isFinite(object.size))) {
    throw new UnrecognizedEventError(
      `${capitalize(where)} has a non-numeric s3.object.size (${JSON.stringify(object.size)}).`,
    );
  }
  return {
    eventName: record.eventName,
    bucket: bucket.name,
    key: decodeS3Key(object.key),
    size: typeof object.size === 'number' ? object.size : 0,
    ...optionalString('eTag', object.eTag),
    ...optionalString('versionId', object.versionId),
    ...optionalString('sequencer', object.sequencer),
    eventTime: typeof record.eventTime === 'string' ? record.eventTime : '',
  };
}

function optionalString<K extends string>(name: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value !== '' ? ({ [name]: value } as Record<K, string>) : {};
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
