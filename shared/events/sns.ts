import { isObject } from '#shared/json';
import { UnrecognizedEventError } from './errors.ts';
import { describeShape } from './shape.ts';

/** One SNS notification delivered to Lambda, with its message parsed as JSON. */
export interface SnsMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  /** ISO time SNS published the message. */
  readonly timestamp: string;
  /** The message exactly as published. */
  readonly message: string;
  /** `message` parsed as JSON: every topic of this system publishes JSON (S3 events, job states). */
  readonly body: unknown;
  /** String-valued message attributes, by name. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** True when `event` looks like an SNS-to-Lambda event (`Records[].Sns`). */
export function isSnsEvent(event: unknown): boolean {
  return (
    isObject(event) &&
    Array.isArray(event.Records) &&
    event.Records.length > 0 &&
    event.Records.every((r) => isObject(r) && isObject(r.Sns))
  );
}

/**
 * Every message of an SNS-to-Lambda event, parsed. Throws {@link UnrecognizedEventError} when the
 * event is not an SNS event or a message is not JSON.
 */
export function unwrapSns(event: unknown): SnsMessage[] {
  if (!isObject(event) || !Array.isArray(event.Records)) {
    throw new UnrecognizedEventError(
      `Expected an SNS event ({ Records: [{ Sns: ... }] }), got ${describeShape(event)}. Subscribe this function to an SNS topic.`,
    );
  }
  return event.Records.map((record, index) => parseSnsRecord(record, index));
}

function parseSnsRecord(record: unknown, index: number): SnsMessage {
  const sns = isObject(record) ? record.Sns : undefined;
  if (!isObject(sns) || typeof sns.Message !== 'string' || typeof sns.MessageId !== 'string') {
    throw new UnrecognizedEventError(
      `Record #${index} is not an SNS notification (expected Sns.MessageId and Sns.Message strings), got ${describeShape(record)}.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(sns.Message);
  } catch (error) {
    throw new UnrecognizedEventError(
      `SNS message ${sns.MessageId} is not JSON; this function only reads topics that publish JSON (S3 events, job states). It starts: ${JSON.stringify(sns.Message.slice(0, 80))}.`,
      { cause: error },
    );
  }
  return {
    messageId: sns.MessageId,
    topicArn: typeof sns.TopicArn === 'string' ? sns.TopicArn : '',
    ...(typeof sns.Subject === 'string' ? { subject: sns.Subject } : {}),
    timestamp: typeof sns.Timestamp === 'string' ? sns.Timestamp : '',
    message: sns.Message,
    body,
    attributes: stringAttributes(sns.MessageAttributes),
  };
}

function stringAttributes(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(raw)) return out;
  for (const [name, attribute] of Object.entries(raw)) {
    if (isObject(attribute) && typeof attribute.Value === 'string') out[name] = attribute.Value;
  }
  return out;
}
