import {
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isAwsError } from '#shared/aws-errors';

/** A redrive that cannot start: no on-failure destination, one that is not a queue, no such function. */
export class RedriveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedriveError';
  }
}

/** What became of one message of the dead-letter queue. */
export type RedriveOutcome =
  /** Lambda accepted the event again (202); the message was deleted. */
  | { readonly kind: 'redriven'; readonly messageId: string; readonly requestId?: string }
  /** The invoke failed; the message stays in the queue and is visible again after its visibility timeout. */
  | { readonly kind: 'failed'; readonly messageId: string; readonly error: string }
  /** Not a Lambda on-failure record of this function; left in the queue untouched. */
  | { readonly kind: 'skipped'; readonly messageId: string; readonly reason: string };

/** The report of one redrive. */
export interface RedriveReport {
  readonly functionArn: string;
  readonly queueUrl: string;
  readonly outcomes: readonly RedriveOutcome[];
}

/** How long a received message stays hidden while its event is sent again: ample for one Invoke. */
const VISIBILITY_SECONDS = 120;

/** The queue an on-failure destination ARN names: `arn:aws:sqs:<region>:<account>:<name>`. */
function queueOf(arn: string): { name: string; account: string } | undefined {
  const [, partition, service, , account, name] = arn.split(':');
  if (partition === undefined || service !== 'sqs' || !account || !name) return undefined;
  return { name, account };
}

function unqualified(functionArn: string): string {
  return functionArn.replace(/:(\$LATEST|\d+)$/, '');
}

/**
 * Sends every event in a function's on-failure destination queue to the function again, the way
 * Lambda first sent it: an asynchronous (`Event`) invoke with the record's `requestPayload`, so it
 * gets the function's retries and destination again. A message is deleted only once Lambda accepted
 * its event; one whose invoke fails stays in the queue. Works the same against AWS and the local
 * cloud: the clients decide where the calls go.
 */
export async function redriveDeadLetters(options: {
  readonly functionName: string;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  /** At most this many messages; all by default. */
  readonly max?: number;
  /** Called with each outcome as it happens. */
  readonly onOutcome?: (outcome: RedriveOutcome) => void;
}): Promise<RedriveReport> {
  const config = await options.lambda
    .send(new GetFunctionEventInvokeConfigCommand({ FunctionName: options.functionName }))
    .catch((error: unknown) => {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        throw new RedriveError(
          `${options.functionName} has no asynchronous invocation config (or does not exist), so it has no dead-letter queue: ${(error as Error).message}`,
          { cause: error },
        );
      }
      throw error;
    });
  const destination = config.DestinationConfig?.OnFailure?.Destination;
  const queue = destination ? queueOf(destination) : undefined;
  if (!destination || !queue) {
    throw new RedriveError(
      `${options.functionName} sends failed events to ${destination ?? 'no on-failure destination'}; only an SQS queue can be redriven.`,
    );
  }
  const functionArn = unqualified(config.FunctionArn ?? options.functionName);
  const { QueueUrl: queueUrl } = await options.sqs.send(
    new GetQueueUrlCommand({ QueueName: queue.name, QueueOwnerAWSAccountId: queue.account }),
  );
  if (!queueUrl) throw new RedriveError(`SQS returned no URL for ${destination}.`);

  const outcomes: RedriveOutcome[] = [];
  const seen = new Set<string>();
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const record = (outcome: RedriveOutcome) => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };
  while (outcomes.length < max) {
    const { Messages: messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - outcomes.length),
        VisibilityTimeout: VISIBILITY_SECONDS,
        // A short wait asks every SQS server, so an empty answer means an empty queue.
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const fresh = messages.filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.MessageId as string);
      record(await redriveOne(message, { ...options, functionArn, queueUrl }));
    }
  }
  return { functionArn, queueUrl, outcomes };
}

async function redriveOne(
  message: Message,
  context: { lambda: LambdaClient; sqs: SQSClient; functionArn: string; queueUrl: string },
): Promise<RedriveOutcome> {
  const messageId = message.MessageId as string;
  let body: {
    requestContext?: { functionArn?: unknown; requestId?: unknown };
    requestPayload?: unknown;
  };
  try {
    body = JSON.parse(message.Body ?? '') as typeof body;
  } catch {
    return { kind: 'skipped', messageId, reason: 'the body is not JSON, so not a Lambda on-failure record' };
  }
  const recordArn = body?.requestContext?.functionArn;
  if (typeof recordArn !== 'string' || !('requestPayload' in (body ?? {}))) {
    return {
      kind: 'skipped',
      messageId,
      reason: 'not a Lambda on-failure record (no requestContext.functionArn or requestPayload)',
    };
  }
  if (unqualified(recordArn) !== context.functionArn) {
    return { kind: 'skipped', messageId, reason: `a record of ${recordArn}, not of ${context.functionArn}` };
  }
  try {
    const answer = await context.lambda.send(
      new InvokeCommand({
        FunctionName: context.functionArn,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(body.requestPayload)),
      }),
    );
    if (answer.StatusCode !== 202) throw new Error(`Lambda answered ${answer.StatusCode} instead of 202`);
  } catch (error) {
    return {
      kind: 'failed',
      messageId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  await context.sqs.send(
    new DeleteMessageCommand({ QueueUrl: context.queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
  return {
    kind: 'redriven',
    messageId,
    ...(typeof body.requestContext?.requestId === 'string' && { requestId: body.requestContext.requestId }),
  };
}
