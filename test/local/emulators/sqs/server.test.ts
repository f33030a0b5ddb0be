import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import { type LocalSqs, startSqs } from '#local/emulators/sqs';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:fn-dlq';

describe('integration', () => {
  describe('SQS emulator (JSON protocol)', () => {
    let sqs: LocalSqs;
    let client: SQSClient;
    let queueUrl: string;

    beforeEach(async () => {
      sqs = await startSqs({ region: 'us-east-1', account: '000000000000' });
      sqs.createQueue({ name: 'fn-dlq', arn: ARN, visibilityTimeoutSeconds: 30 });
      client = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
      queueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'fn-dlq' }))).QueueUrl ?? '';
    });

    afterEach(async () => {
      client.destroy();
      await sqs.stop();
    });

    const counts = async () => {
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return [
        Number(Attributes?.ApproximateNumberOfMessages),
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
      ];
    };

    it('names the queue by URL and lists it', async () => {
      const listed = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'fn-' }));

      expect(queueUrl).to.equal(`${sqs.endpoint}/000000000000/fn-dlq`);
      expect(listed.QueueUrls).to.deep.equal([queueUrl]);
    });

    it('receives what a service put on the queue, with its MD5 (the SDK checks it), hides it, then deletes it', async () => {
      sqs.send(ARN, JSON.stringify({ requestPayload: { Records: [] } }));

      const received = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
      );
      const hidden = await counts();
      const again = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
      await client.send(
        new DeleteMessageCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: received.Messages?.[0]?.ReceiptHandle,
        }),
      );

      expect(received.Messages).to.have.length(1);
      expect(JSON.parse(received.Messages?.[0]?.Body ?? '')).to.deep.equal({
        requestPayload: { Records: [] },
      });
      expect(received.Messages?.[0]?.Attributes?.ApproximateReceiveCount).to.equal('1');
      expect(hidden).to.deep.equal([0, 1]);
      expect(again.Messages ?? []).to.deep.equal([]);
      expect(await counts()).to.deep.equal([0, 0]);
      expect(sqs.messages.get(ARN)).to.deep.equal([]);
    });

    it('shows a message again once its visibility is set back to 0, counting the receives', async () => {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
      const first = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: first.Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      const second = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

      expect(second.Messages?.[0]?.MessageId).to.equal(first.Messages?.[0]?.MessageId);
      expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).to.equal('2');
    });

    it('answers a long poll as soon as a message arrives', async () => {
      const polling = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
      setTimeout(() => sqs.send(ARN, 'late'), 100);

      const received = await polling;

      expect(received.Messages?.map((m) => m.Body)).to.deep.equal(['late']);
    });

    it('answers an unknown queue with QueueDoesNotExist and an operation it lacks by name', async () => {
      const missing = await client.send(new GetQueueUrlCommand({ QueueName: 'nope' })).then(
        () => undefined,
        (error: Error) => error.name,
      );
      const unsupported = await client.send(new PurgeQueueCommand({ QueueUrl: queueUrl })).then(
        () => undefined,
        (error: Error) => error.message,
      );

      expect(missing).to.equal('QueueDoesNotExist');
      expect(unsupported).to.match(/PurgeQueue is not served by the local SQS/);
    });
  });
});
