import {
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { RedriveError, redriveDeadLetters } from '#local/redrive/index.ts';
import { loadEventFixture } from '#test/support/fixtures.ts';

const FUNCTION = '24hv-dev-transcode-video';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:24hv-dev-transcode-video';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:24hv-dev-transcode-video-dlq';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/24hv-dev-transcode-video-dlq';

interface OnFailureRecord {
  requestContext: { functionArn: string; requestId: string };
  requestPayload: unknown;
}

describe('redriveDeadLetters', () => {
  let lambda: AwsClientStub<LambdaClient>;
  let sqs: AwsClientStub<SQSClient>;

  beforeEach(() => {
    lambda = mockClient(LambdaClient);
    sqs = mockClient(SQSClient);
    lambda.on(GetFunctionEventInvokeConfigCommand).resolves({
      FunctionArn: `${FUNCTION_ARN}:$LATEST`,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
    sqs.on(DeleteMessageCommand).resolves({});
  });

  afterEach(() => {
    lambda.restore();
    sqs.restore();
  });

  const message = (id: string, body: unknown) => ({
    MessageId: id,
    ReceiptHandle: `receipt-${id}`,
    Body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const record = () => loadEventFixture<OnFailureRecord>('lambda-on-failure');
  const run = () =>
    redriveDeadLetters({ functionName: FUNCTION, lambda: new LambdaClient({}), sqs: new SQSClient({}) });

  describe('finding the queue', () => {
    it("asks Lambda for the function's on-failure destination and SQS for that queue's URL", async () => {
      sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });

      const report = await run();

      expect(lambda.commandCalls(GetFunctionEventInvokeConfigCommand)[0]?.args[0].input).to.deep.equal({
        FunctionName: FUNCTION,
      });
      expect(sqs.commandCalls(GetQueueUrlCommand)[0]?.args[0].input).to.deep.equal({
        QueueName: '24hv-dev-transcode-video-dlq',
        QueueOwnerAWSAccountId: '123456789012',
      });
      expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).to.deep.equal({
        QueueUrl: QUEUE_URL,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 120,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
      expect(report).to.deep.equal({ functionArn: FUNCTION_ARN, queueUrl: QUEUE_URL, outcomes: [] });
    });

    it('refuses a function without an on-failure destination, or with one that is not a queue', async () => {
      lambda.on(GetFunctionEventInvokeConfigCommand).resolves({ DestinationConfig: { OnFailure: {} } });
      const none = await run().catch((error: Error) => error);
      lambda
        .on(GetFunctionEventInvokeConfigCommand)
        .resolves({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:1:topic' } } });
      const topic = await run().catch((error: Error) => error);

      expect(none)
        .to.be.instanceOf(RedriveError)
        .with.property('message')
        .that.matches(/no on-failure destination/);
      expect(topic)
        .to.be.instanceOf(RedriveError)
        .with.property('message')
        .that.matches(/only an SQS queue/);
      expect(sqs.commandCalls(ReceiveMessageCommand)).to.have.length(0);
    });

    it('says so when the function has no asynchronous invocation config', async () => {
      lambda
        .on(GetFunctionEventInvokeConfigCommand)
        .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

      const error = await run().catch((e: Error) => e);

      expect(error)
        .to.be.instanceOf(RedriveError)
        .with.property('message')
        .that.matches(/no dead-letter queue/);
    });
  });

  describe('each message', () => {
    it('invokes the function asynchronously with the original event, then deletes the message', async () => {
      const first = record();
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [message('m1', first)] })
        .resolves({ Messages: [] });
      lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

      const report = await run();

      const invoke = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
      expect(invoke?.FunctionName).to.equal(FUNCTION_ARN);
      expect(invoke?.InvocationType).to.equal('Event');
      expect(JSON.parse(Buffer.from(invoke?.Payload as Uint8Array).toString('utf8'))).to.deep.equal(
        loadEventFixture('s3-put'),
      );
      expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).to.deep.equal([
        { QueueUrl: QUEUE_URL, ReceiptHandle: 'receipt-m1' },
      ]);
      expect(report.outcomes).to.deep.equal([
        { kind: 'redriven', messageId: 'm1', requestId: first.requestContext.requestId },
      ]);
    });

    it('leaves a message whose invoke fails in the queue, and goes on with the next', async () => {
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [message('m1', record()), message('m2', record())] })
        .resolves({ Messages: [] });
      lambda
        .on(InvokeCommand)
        .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }))
        .resolves({ StatusCode: 202 });

      const report = await run();

      expect(report.outcomes.map((o) => [o.kind, o.messageId])).to.deep.equal([
        ['failed', 'm1'],
        ['redriven', 'm2'],
      ]);
      expect(report.outcomes[0]).to.deep.include({ error: 'TooManyRequestsException: Rate exceeded' });
      expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).to.deep.equal([
        'receipt-m2',
      ]);
    });

    it("skips, and keeps, what is not this function's on-failure record", async () => {
      const other = record();
      other.requestContext.functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:other:$LATEST';
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({
          Messages: [message('m1', 'not json'), message('m2', { hello: 1 }), message('m3', other)],
        })
        .resolves({ Messages: [] });

      const report = await run();

      expect(report.outcomes.map((o) => o.kind)).to.deep.equal(['skipped', 'skipped', 'skipped']);
      expect(lambda.commandCalls(InvokeCommand)).to.have.length(0);
      expect(sqs.commandCalls(DeleteMessageCommand)).to.have.length(0);
    });

    it('stops when the queue hands back a message it has seen in this run, and at --max', async () => {
      sqs.on(ReceiveMessageCommand).resolves({ Messages: [message('m1', record())] });
      lambda.on(InvokeCommand).rejects(new Error('down'));

      const report = await run();
      const capped = await redriveDeadLetters({
        functionName: FUNCTION,
        lambda: new LambdaClient({}),
        sqs: new SQSClient({}),
        max: 1,
      });

      expect(report.outcomes).to.have.length(1);
      expect(capped.outcomes).to.have.length(1);
    });
  });
});
