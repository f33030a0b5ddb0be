import { isObject } from '#shared/json';
import { UnrecognizedEventError } from './errors.ts';
import { forEachRecord } from './records.ts';
import { decodeS3Key } from './s3-key.ts';
import { describeShape } from './shape.ts';
import { type SnsMessage, unwrapSns } from './sns.ts';

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
 * Every S3 object record of an S3 event, of an SNS event whose messages are S3 events, or of one
 * EventBridge "Object Created" event from `aws.s3`, in order. S3's `s3:TestEvent` messages (sent once
 * when a notification is configured) are skipped. Any other shape throws {@link UnrecognizedEventError}.
 */
export function parseS3Records(event: unknown): S3ObjectRecord[] {
  return recordParsers(event).map((parse) => parse());
}

/**
 * Runs `fn` on every S3 object record of `event` (the shapes {@link parseS3Records} reads) through
 * {@link forEachRecord}. Each record is parsed on its own, so a malformed record or key fails alone
 * and the others are still processed; an envelope of an unknown shape throws at once.
 */
export function forEachS3Record(
  event: unknown,
  fn: (record: S3ObjectRecord, index: number) => Promise<void> | void,
): Promise<void> {
  return forEachRecord(recordParsers(event), (parse, index) => fn(parse(), index));
}

function recordParsers(event: unknown): (() => S3ObjectRecord)[] {
  if (isTestEvent(event)) return [];
  if (isS3EventBridgeEvent(event)) return [() => parseEventBridgeObjectCreated(event)];
  if (!isObject(event) || !Array.isArray(event.Records)) {
    throw new UnrecognizedEventError(
      `Expected an S3 event ({ Records: [{ s3: ... }] }), an SNS event carrying S3 events, or an EventBridge "Object Created" event from aws.s3; got ${describeShape(event)}.`,
    );
  }
  return event.Records.flatMap((record, index): (() => S3ObjectRecord)[] => {
    if (!isObject(record) || !isObject(record.Sns)) return [() => parseS3Record(record, `record #${index}`)];
    let messages: SnsMessage[];
    try {
      messages = unwrapSns({ Records: [record] });
    } catch (error) {
      return [failing(error)];
    }
    return messages.flatMap((message) => {
      if (isTestEvent(message.body)) return [];
      if (!isObject(message.body) || !Array.isArray(message.body.Records)) {
        return [
          failing(
            new UnrecognizedEventError(
              `SNS message ${message.messageId} from ${message.topicArn || 'an unknown topic'} does not carry an S3 event ({ Records: [{ s3: ... }] }); got ${describeShape(message.body)}. Only S3 notifications may publish to this topic.`,
            ),
          ),
        ];
      }
      return message.body.Records.map(
        (inner, innerIndex) => () =>
          parseS3Record(
            inner,
            `record #${index}, S3 record #${innerIndex} of SNS message ${message.messageId}`,
          ),
      );
    });
  });
}

function failing(error: unknown): () => never {
  return () => {
    throw error;
  };
}

/** S3's EventBridge `reason` (the API that created the object) → the notification's event name. */
const EVENT_NAME_OF_REASON: Readonly<Record<string, string>> = {
  PutObject: 'ObjectCreated:Put',
  'POST Object': 'ObjectCreated:Post',
  CopyObject: 'ObjectCreated:Copy',
  CompleteMultipartUpload: 'ObjectCreated:CompleteMultipartUpload',
};

function isS3EventBridgeEvent(value: unknown): value is Record<string, unknown> {
  return isObject(value) && value.source === 'aws.s3' && typeof value['detail-type'] === 'string';
}

// S3 URL-encodes the key in EventBridge events as in its notifications (spaces as '+'); Powertools'
// S3EventBridgeNotificationObject decodes it the same way:
// https://github.com/aws-powertools/powertools-lambda-python/blob/develop/aws_lambda_powertools/utilities/data_classes/s3_event.py
function parseEventBridgeObjectCreated(event: Record<string, unknown>): S3ObjectRecord {
  const where = `EventBridge event ${typeof event.id === 'string' ? event.id : '(no id)'}`;
  if (event['detail-type'] !== 'Object Created') {
    throw new UnrecognizedEventError(
      `${where} is an S3 "${String(event['detail-type'])}" event; only "Object Created" events carry an upload. Narrow the rule's detail-type.`,
    );
  }
  const detail = event.detail;
  const bucket = isObject(detail) ? detail.bucket : undefined;
  const object = isObject(detail) ? detail.object : undefined;
  if (
    !isObject(detail) ||
    !isObject(bucket) ||
    typeof bucket.name !== 'string' ||
    !isObject(object) ||
    typeof object.key !== 'string'
  ) {
    throw new UnrecognizedEventError(
      `${where} is not an S3 object event (expected detail.bucket.name and detail.object.key), got detail ${describeShape(detail)}.`,
    );
  }
  if (object.size !== undefined && (typeof object.size !== 'number' || !Number.isFinite(object.size))) {
    throw new UnrecognizedEventError(
      `${where} has a non-numeric detail.object.size (${JSON.stringify(object.size)}).`,
    );
  }
  const reason = typeof detail.reason === 'string' ? detail.reason : '';
  return {
    eventName: EVENT_NAME_OF_REASON[reason] ?? `ObjectCreated:${reason || 'Unknown'}`,
    bucket: bucket.name,
    key: decodeS3Key(object.key),
    size: typeof object.size === 'number' ? object.size : 0,
    ...optionalString('eTag', object.etag),
    ...optionalString('versionId', object['version-id']),
    ...optionalString('sequencer', object.sequencer),
    eventTime: typeof event.time === 'string' ? event.time : '',
  };
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
