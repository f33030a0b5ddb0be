import { integer, noSuchQueue, type Queue, SqsError, type SqsQueues } from './queues.ts';

/** One SQS action: its JSON input in, its JSON output out. */
export type Operation = (input: Record<string, unknown>) => Promise<unknown> | unknown;

/**
 * The actions the local SQS serves, by name, over the queues: GetQueueUrl, ListQueues,
 * GetQueueAttributes, SendMessage, ReceiveMessage (long polling until `isStopped`),
 * ChangeMessageVisibility and DeleteMessage.
 */
export function sqsOperations(
  queues: SqsQueues,
  urlOf: (queue: Queue) => string,
  isStopped: () => boolean,
): Map<string, Operation> {
  return new Map<string, Operation>([
    [
      'GetQueueUrl',
      (input) => {
        const queue = queues.byName(input.QueueName);
        if (!queue) throw noSuchQueue();
        return { QueueUrl: urlOf(queue) };
      },
    ],
    [
      'ListQueues',
      (input) => {
        const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
        return {
          QueueUrls: queues
            .all()
            .filter((q) => q.spec.name.startsWith(prefix))
            .map(urlOf),
        };
      },
    ],
    [
      'GetQueueAttributes',
      (input) => {
        const queue = queues.byUrl(input.QueueUrl);
        const now = Date.now();
        queues.expire(queue, now);
        const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
        const all: Record<string, string> = {
          QueueArn: queue.spec.arn,
          ApproximateNumberOfMessages: String(visible),
          ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
          ApproximateNumberOfMessagesDelayed: '0',
          VisibilityTimeout: String(queue.spec.visibilityTimeoutSeconds ?? 30),
          MessageRetentionPeriod: String(queue.spec.messageRetentionSeconds ?? 345_600),
          CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        };
        const names = Array.isArray(input.AttributeNames) ? (input.AttributeNames as string[]) : [];
        const wanted = names.includes('All') ? Object.keys(all) : names;
        return { Attributes: Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n]])) };
      },
    ],
    [
      'SendMessage',
      (input) => {
        const queue = queues.byUrl(input.QueueUrl);
        if (typeof input.MessageBody !== 'string' || input.MessageBody === '') {
          throw new SqsError(
            400,
            'MissingParameter',
            'MissingParameter',
            'The request must contain the parameter MessageBody.',
          );
        }
        const message = queues.put(queue, input.MessageBody);
        return { MessageId: message.id, MD5OfMessageBody: message.md5 };
      },
    ],
    [
      'ReceiveMessage',
      async (input) => {
        const queue = queues.byUrl(input.QueueUrl);
        const wait = integer(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20, 0);
        const deadline = Date.now() + wait * 1000;
        let received = queues.receive(queue, input);
        while (received.length === 0 && Date.now() < deadline && !isStopped()) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              queues.waiters.delete(wake);
              clearTimeout(timer);
              resolve();
            };
            // Wakes on a new message, or in time for one whose visibility timeout runs out.
            const timer = setTimeout(wake, Math.min(250, Math.max(0, deadline - Date.now())));
            queues.waiters.add(wake);
          });
          received = queues.receive(queue, input);
        }
        return { Messages: received };
      },
    ],
    [
      'ChangeMessageVisibility',
      (input) => {
        const queue = queues.byUrl(input.QueueUrl);
        const index = queues.findByReceipt(queue, input.ReceiptHandle);
        const message = index === undefined ? undefined : queue.messages[index];
        if (!message || message.visibleAt <= Date.now()) {
          throw new SqsError(
            400,
            'MessageNotInflight',
            'AWS.SimpleQueueService.MessageNotInflight',
            'The specified message is not in flight.',
          );
        }
        message.visibleAt =
          Date.now() + integer(input.VisibilityTimeout, 'VisibilityTimeout', 0, 43_200, 0) * 1000;
        queues.wake();
        return {};
      },
    ],
    [
      'DeleteMessage',
      (input) => {
        const queue = queues.byUrl(input.QueueUrl);
        const index = queues.findByReceipt(queue, input.ReceiptHandle);
        // A handle of a message deleted already deletes nothing, and succeeds, as in SQS.
        if (index !== undefined) queues.remove(queue, index);
        return {};
      },
    ],
  ]);
}
