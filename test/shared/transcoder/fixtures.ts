import { readFileSync } from 'node:fs';

/** Reads a JSON event fixture afresh, so every test gets its own copy to mutate. */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8'),
  ) as T;
}

/** The SNS message (the Elastic Transcoder notification) of the first record of a fixture, parsed. */
export function loadNotification(name: string): Record<string, unknown> {
  const event = loadEvent<{ Records: [{ Sns: { Message: string } }] }>(name);
  return JSON.parse(event.Records[0].Sns.Message) as Record<string, unknown>;
}

/** An SNS event wrapping the given messages, one record each. */
export function snsEventOf(messages: readonly unknown[]): { Records: unknown[] } {
  return {
    Records: messages.map((message, index) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      Sns: {
        Type: 'Notification',
        MessageId: `message-${index}`,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:transcode-status',
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        Timestamp: '2026-11-24T12:00:00.000Z',
        MessageAttributes: {},
      },
    })),
  };
}
