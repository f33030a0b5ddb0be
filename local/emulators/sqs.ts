import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A queue as `aws_sqs_queue` declares it. */
export interface QueueSpec {
  readonly name: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds?: number;
  readonly messageRetentionSeconds?: number;
}

interface Message {
  readonly id: string;
  readonly body: string;
  readonly md5: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  /** Every receipt handle issued for it; any of them deletes it. */
  readonly receipts: Set<string>;
}

interface Queue {
  readonly spec: QueueSpec;
  readonly createdAt: number;
  readonly messages: Message[];
  /** The parsed bodies, in order, for in-process readers ({@link LocalSqs.messages}). */
  readonly bodies: unknown[];
}

/** The running SQS emulator. */
export interface LocalSqs {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  /** The bodies of the messages in each queue (JSON parsed when they are JSON), by queue ARN. */
  readonly messages: ReadonlyMap<string, unknown[]>;
  createQueue(spec: QueueSpec): void;
  /** Puts a message on a queue by ARN, as a service delivering to it does; throws for an unknown queue. */
  send(queueArn: string, body: string): void;
  stop(): Promise<void>;
}

/** An SQS error as the JSON protocol reports it. */
class SqsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    /** The query-protocol code the SDK maps older error names from. */
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqsError';
  }
}

const noSuchQueue = () =>
  new SqsError(
    400,
    'QueueDoesNotExist',
    'AWS.SimpleQueueService.NonExistentQueue',
    'The specified queue does not exist.',
  );

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsError(
      400,
      'InvalidParameterValue',
      'InvalidParameterValue',
      `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: Must be an integer from ${min} to ${max}.`,
    );
  }
  return value;
}

/**
 * Serves the part of Amazon SQS that redriving dead letters needs, over the JSON protocol the SDK
 * speaks (`X-Amz-Target: AmazonSQS.<Operation>`): GetQueueUrl, GetQueueAttributes, ListQueues,
 * SendMessage, ReceiveMessage (visibility timeout, long polling), ChangeMessageVisibility and
 * DeleteMessage, over the queues the stack declares. Anything else is refused by name.
 */
export async function startSqs(options: { region: string; account: string }): Promise<LocalSqs> {
  const queues = new Map<string, Queue>();
  const messages = new Map<string, unknown[]>();
  const waiters = new Set<() => void>();
  let endpoint = '';

  const urlOf = (queue: Queue) => `${endpoint}/${options.account}/${queue.spec.name}`;
  /** A queue URL names the queue by its last path segment, whatever the host (the stack's AWS URL too). */
  const byUrl = (value: unknown): Queue => {
    if (typeof value !== 'string' || value === '') {
      throw new SqsError(
        400,
        'MissingParameter',
        'MissingParameter',
        'The request must contain the parameter QueueUrl.',
      );
    }
    const name = value.split('?')[0]?.split('/').filter(Boolean).at(-1) ?? '';
    const queue = [...queues.values()].find((q) => q.spec.name === name);
    if (!queue) throw noSuchQueue();
    return queue;
  };
  const expire = (queue: Queue, now: number) => {
    const retention = (queue.spec.messageRetentionSeconds ?? 345_600) * 1000;
    for (let i = queue.messages.length - 1; i >= 0; i--) {
      if (now - (queue.messages[i] as Message).sentAt > retention) remove(queue, i);
    }
  };
  const remove = (queue: Queue, index: number) => {
    queue.messages.splice(index, 1);
    queue.bodies.splice(index, 1);
  };
  const put = (queue: Queue, body: string): Message => {
    const message: Message = {
      id: randomUUID(),
      body,
      md5: md5(body),
      sentAt: Date.now(),
      receiveCount: 0,
      visibleAt: 0,
      receipts: new Set(),
    };
    queue.messages.push(message);
    queue.bodies.push(parsed(body));
    for (const wake of waiters) wake();
    return message;
  };

  const receive = (queue: Queue, input: Record<string, unknown>): Record<string, unknown>[] => {
    const max = integer(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10, 1);
    const timeout = integer(
      input.VisibilityTimeout,
      'VisibilityTimeout',
      0,
      43_200,
      queue.spec.visibilityTimeoutSeconds ?? 30,
    );
    const now = Date.now();
    expire(queue, now);
    const received: Record<string, unknown>[] = [];
    for (const message of queue.messages) {
      if (received.length === max) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + timeout * 1000;
      const receipt = randomBytes(32).toString('base64');
      message.receipts.add(receipt);
      received.push({
        MessageId: message.id,
        ReceiptHandle: receipt,
        MD5OfBody: message.md5,
        Body: message.body,
        Attributes: {
          SenderId: options.account,
          SentTimestamp: String(message.sentAt),
          ApproximateReceiveCount: String(message.receiveCount),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
      });
    }
    return received;
  };

  const findByReceipt = (queue: Queue, receipt: unknown): number | undefined => {
    if (typeof receipt !== 'string' || receipt === '') {
      throw new SqsError(
        400,
        'MissingParameter',
        'MissingParameter',
        'The request must contain the parameter ReceiptHandle.',
      );
    }
    const index = queue.messages.findIndex((m) => m.receipts.has(receipt));
    return index === -1 ? undefined : index;
  };

  type Operation = (input: Record<string, unknown>) => Promise<unknown> | unknown;
  const operations = new Map<string, Operation>([
    [
      'GetQueueUrl',
      (input) => {
        const queue = [...queues.values()].find((q) => q.spec.name === input.QueueName);
        if (!queue) throw noSuchQueue();
        return { QueueUrl: urlOf(queue) };
      },
    ],
    [
      'ListQueues',
      (input) => {
        const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
        return {
          QueueUrls: [...queues.values()].filter((q) => q.spec.name.startsWith(prefix)).map(urlOf),
        };
      },
    ],
    [
      'GetQueueAttributes',
      (input) => {
        const queue = byUrl(input.QueueUrl);
        const now = Date.now();
        expire(queue, now);
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
        const queue = byUrl(input.QueueUrl);
        if (typeof input.MessageBody !== 'string' || input.MessageBody === '') {
          throw new SqsError(
            400,
            'MissingParameter',
            'MissingParameter',
            'The request must contain the parameter MessageBody.',
          );
        }
        const message = put(queue, input.MessageBody);
        return { MessageId: message.id, MD5OfMessageBody: message.md5 };
      },
    ],
    [
      'ReceiveMessage',
      async (input) => {
        const queue = byUrl(input.QueueUrl);
        const wait = integer(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20, 0);
        const deadline = Date.now() + wait * 1000;
        let received = receive(queue, input);
        while (received.length === 0 && Date.now() < deadline && !stopped) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              waiters.delete(wake);
              clearTimeout(timer);
              resolve();
            };
            // Wakes on a new message, or in time for one whose visibility timeout runs out.
            const timer = setTimeout(wake, Math.min(250, Math.max(0, deadline - Date.now())));
            waiters.add(wake);
          });
          received = receive(queue, input);
        }
        return { Messages: received };
      },
    ],
    [
      'ChangeMessageVisibility',
      (input) => {
        const queue = byUrl(input.QueueUrl);
        const index = findByReceipt(queue, input.ReceiptHandle);
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
        for (const wake of waiters) wake();
        return {};
      },
    ],
    [
      'DeleteMessage',
      (input) => {
        const queue = byUrl(input.QueueUrl);
        const index = findByReceipt(queue, input.ReceiptHandle);
        // A handle of a message deleted already deletes nothing, and succeeds, as in SQS.
        if (index !== undefined) remove(queue, index);
        return {};
      },
    ],
  ]);

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };
  const sendError = (res: ServerResponse, error: SqsError) =>
    send(
      res,
      error.status,
      { __type: `com.amazonaws.sqs#${error.type}`, message: error.message },
      { 'x-amzn-query-error': `${error.queryCode};Sender` },
    );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !target.startsWith('AmazonSQS.')) {
      return sendError(
        res,
        new SqsError(
          400,
          'InvalidAction',
          'InvalidAction',
          'The local SQS speaks the JSON protocol only (X-Amz-Target: AmazonSQS.<Operation>): use AWS SDK v3 or a recent AWS CLI.',
        ),
      );
    }
    const operation = operations.get(target.slice('AmazonSQS.'.length));
    if (!operation) {
      return sendError(
        res,
        new SqsError(
          400,
          'UnsupportedOperation',
          'AWS.SimpleQueueService.UnsupportedOperation',
          `${target.slice('AmazonSQS.'.length)} is not served by the local SQS (${[...operations.keys()].join(', ')} are).`,
        ),
      );
    }
    let input: unknown;
    try {
      input = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(
        res,
        new SqsError(400, 'InvalidParameterValue', 'InvalidParameterValue', 'The request body is not JSON.'),
      );
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return sendError(
        res,
        new SqsError(
          400,
          'InvalidParameterValue',
          'InvalidParameterValue',
          'The request body must be a JSON object.',
        ),
      );
    }
    send(res, 200, await operation(input as Record<string, unknown>));
  };

  let stopped = false;
  const server: Server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof SqsError) return sendError(res, error);
      sendError(res, new SqsError(500, 'InternalError', 'InternalError', String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    messages,
    createQueue(spec) {
      const queue: Queue = { spec, createdAt: Date.now(), messages: [], bodies: [] };
      queues.set(spec.arn, queue);
      messages.set(spec.arn, queue.bodies);
    },
    send(queueArn, body) {
      const queue = queues.get(queueArn);
      if (!queue) throw new Error(`The stack declares no queue ${queueArn}.`);
      put(queue, body);
    },
    async stop() {
      stopped = true;
      for (const wake of waiters) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
