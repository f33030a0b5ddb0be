import { isObject } from '#shared/json';
import { parseElasticTranscoderNotification } from './elastic-transcoder/index.ts';
import { UnrecognizedJobStateError } from './errors.ts';
import { parseMediaConvertEvent } from './mediaconvert/index.ts';
import type { JobState } from './port.ts';

/** One job-state message cut out of an invocation event, not parsed yet (so each can fail on its own). */
export type JobStateMessage =
  | { readonly kind: 'elastic-transcoder'; readonly id: string; readonly message: string }
  | { readonly kind: 'mediaconvert'; readonly id: string; readonly event: unknown }
  | { readonly kind: 'unrecognized'; readonly id: string; readonly error: UnrecognizedJobStateError };

/**
 * Splits a `transcode-status` invocation into its job-state messages: every record of an SNS event
 * (Elastic Transcoder notifications) or the one EventBridge event from `aws.mediaconvert`.
 */
export function jobStateMessages(event: unknown): JobStateMessage[] {
  if (isObject(event) && event.source === 'aws.mediaconvert') {
    return [{ kind: 'mediaconvert', id: typeof event.id === 'string' ? event.id : 'event', event }];
  }
  if (isObject(event) && Array.isArray(event.Records)) {
    return event.Records.map((record, index): JobStateMessage => {
      const sns = isObject(record) ? record.Sns : undefined;
      if (
        !isObject(record) ||
        record.EventSource !== 'aws:sns' ||
        !isObject(sns) ||
        typeof sns.Message !== 'string'
      ) {
        // Reported when this record is parsed, so the other records of the batch are still applied.
        const error = new UnrecognizedJobStateError(
          `Record ${index} is not an SNS record with a string Message; transcode-status expects Elastic Transcoder notifications delivered by SNS.`,
        );
        return { kind: 'unrecognized', id: `record-${index}`, error };
      }
      const id = typeof sns.MessageId === 'string' ? sns.MessageId : `record-${index}`;
      return { kind: 'elastic-transcoder', id, message: sns.Message };
    });
  }
  const source = isObject(event)
    ? JSON.stringify(event.source ?? event['detail-type'] ?? null)
    : typeof event;
  throw new UnrecognizedJobStateError(
    `Unrecognized job-state event (source ${source}): expected an SNS event wrapping Elastic Transcoder notifications or an EventBridge event with source "aws.mediaconvert".`,
  );
}

/** Parses one message from {@link jobStateMessages} with its backend's parser. */
export function parseJobStateMessage(message: JobStateMessage): JobState {
  switch (message.kind) {
    case 'mediaconvert':
      return parseMediaConvertEvent(message.event);
    case 'elastic-transcoder':
      return parseElasticTranscoderNotification(message.message);
    case 'unrecognized':
      throw message.error;
  }
}

/** Every job state an invocation carries, from either backend; throws on the first one it cannot parse. */
export function parseJobStates(event: unknown): JobState[] {
  return jobStateMessages(event).map(parseJobStateMessage);
}
