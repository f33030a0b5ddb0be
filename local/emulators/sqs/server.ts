import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServedEmulator } from '#local/emulators/common';
import { sqsOperations } from './operations.ts';
import { type Queue, type QueueSpec, SqsError, SqsQueues } from './queues.ts';

/** The running SQS emulator. */
export interface LocalSqs extends ServedEmulator {
  /** The bodies of the messages in each queue (JSON parsed when they are JSON), by queue ARN. */
  readonly messages: ReadonlyMap<string, unknown[]>;
  createQueue(spec: QueueSpec): void;
  /** Puts a message on a queue by ARN, as a service delivering to it does; throws for an unknown queue. */
  send(queueArn: string, body: string): void;
}

/**
 * Serves the part of Amazon SQS that redriving dead letters needs, over the JSON protocol the SDK
 * speaks (`X-Amz-Target: AmazonSQS.<Operation>`): GetQueueUrl, GetQueueAttributes, ListQueues,
 * SendMessage, ReceiveMessage (visibility timeout, long polling), ChangeMessageVisibility and
 * DeleteMessage, over the queues the stack declares. Anything else is refused by name.
 */
export async function startSqs(options: {
  region: string;
  account: string;
  queues?: readonly QueueSpec[];
}): Promise<LocalSqs> {
  const queues = new SqsQueues(options.account);
  for (const spec of options.queues ?? []) queues.create(spec);
  let endpoint = '';
  let stopped = false;
  const urlOf = (queue: Queue) => `${endpoint}/${options.account}/${queue.spec.name}`;
  const operations = sqsOperations(queues, urlOf, () => stopped);

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
    messages: queues.messages,
    createQueue(spec) {
      queues.create(spec);
    },
    send(queueArn, body) {
      const queue = queues.byArn(queueArn);
      if (!queue) throw new Error(`The stack declares no queue ${queueArn}.`);
      queues.put(queue, body);
    },
    // A message waits in its queue until someone receives it; nothing runs in the background.
    whenIdle: async () => undefined,
    async stop() {
      stopped = true;
      queues.wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
