import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A queue as `aws_sqs_queue` declares it. */
export interface QueueSpec {
  readonly name: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds?: number;
  readonly messageRetentionSeconds?: number;
}

export interface Message {
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

export interface Queue {
  readonly spec: QueueSpec;
  readonly createdAt: number;
  readonly messages: Message[];
  /** The parsed bodies, in order, for in-process readers ({@link SqsQueues.messages}). */
  readonly bodies: unknown[];
}

/** An SQS error as the JSON protocol reports it. */
export class SqsError extends Error {
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

export const noSuchQueue = () =>
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

export function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
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

/** The queues and their messages: what SQS keeps, apart from how it is spoken to. */
export class SqsQueues {
  private readonly queues = new Map<string, Queue>();
  /** The bodies of the messages in each queue (JSON parsed when they are JSON), by queue ARN. */
  readonly messages = new Map<string, unknown[]>();
  /** Woken by every new message or visibility change: long polls waiting for one. */
  readonly waiters = new Set<() => void>();

  constructor(private readonly account: string) {}

  create(spec: QueueSpec): void {
    const queue: Queue = { spec, createdAt: Date.now(), messages: [], bodies: [] };
    this.queues.set(spec.arn, queue);
    this.messages.set(spec.arn, queue.bodies);
  }

  byArn(arn: string): Queue | undefined {
    return this.queues.get(arn);
  }

  byName(name: unknown): Queue | undefined {
    return [...this.queues.values()].find((q) => q.spec.name === name);
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** A queue URL names the queue by its last path segment, whatever the host (the stack's AWS URL too). */
  byUrl(value: unknown): Queue {
    if (typeof value !== 'string' || value === '') {
      throw new SqsError(
        400,
        'MissingParameter',
        'MissingParameter',
        'The request must contain the parameter QueueUrl.',
      );
    }
    const name = value.split('?')[0]?.split('/').filter(Boolean).at(-1) ?? '';
    const queue = this.byName(name);
    if (!queue) throw noSuchQueue();
    return queue;
  }

  expire(queue: Queue, now: number): void {
    const retention = (queue.spec.messageRetentionSeconds ?? 345_600) * 1000;
    for (let i = queue.messages.length - 1; i >= 0; i--) {
      if (now - (queue.messages[i] as Message).sentAt > retention) this.remove(queue, i);
    }
  }

  remove(queue: Queue, index: number): void {
    queue.messages.splice(index, 1);
    queue.bodies.splice(index, 1);
  }

  put(queue: Queue, body: string): Message {
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
    this.wake();
    return message;
  }

  wake(): void {
    for (const wake of this.waiters) wake();
  }

  receive(queue: Queue, input: Record<string, unknown>): Record<string, unknown>[] {
    const max = integer(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10, 1);
    const timeout = integer(
      input.VisibilityTimeout,
      'VisibilityTimeout',
      0,
      43_200,
      queue.spec.visibilityTimeoutSeconds ?? 30,
    );
    const now = Date.now();
    this.expire(queue, now);
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
          SenderId: this.account,
          SentTimestamp: String(message.sentAt),
          ApproximateReceiveCount: String(message.receiveCount),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
      });
    }
    return received;
  }

  findByReceipt(queue: Queue, receipt: unknown): number | undefined {
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
  }
}
