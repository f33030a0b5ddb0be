import { readFileSync } from 'node:fs';

const EVENTS_DIR = new URL('../fixtures/events/', import.meta.url);

/**
 * A fresh copy of `test/fixtures/events/<name>.json`, parsed on every call, so a test may mutate
 * what it gets without leaking into other tests.
 */
export function loadEventFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EVENTS_DIR), 'utf8')) as T;
}

/** The SNS message (the Elastic Transcoder notification) of the first record of a fixture, parsed. */
export function loadNotification(name: string): Record<string, unknown> {
  const event = loadEventFixture<{ Records: [{ Sns: { Message: string } }] }>(name);
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
