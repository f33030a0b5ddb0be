import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import { type LocalDynamoDB, startDynamoDB } from '#local/emulators/dynamodb';
import { startEventBridge } from '#local/emulators/eventbridge';
import { LambdaRunner } from '#local/emulators/lambda';
import { type LocalS3, startS3 } from '#local/emulators/s3';
import { startSns } from '#local/emulators/sns';
import { METER_APP_ID, s3ClientFor, storedBytes, UsageMeter } from '#local/usage';

const REGION = 'us-east-1';
const TABLE = 'videos';

describe('local/usage: the emulators report to the meter', () => {
  describe('DynamoDB', () => {
    let meter: UsageMeter;
    let dynamo: LocalDynamoDB;
    let fn: DynamoDBClient;

    beforeEach(async () => {
      meter = new UsageMeter();
      dynamo = await startDynamoDB({ region: REGION, usage: meter, ttlSweepMs: 0 });
      await dynamo.createTable({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'videoId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'videoId', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
      fn = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: REGION,
        credentials: LOCAL_CREDENTIALS,
        userAgentAppId: 'transcode-video',
        maxAttempts: 1,
      });
    });

    afterEach(async () => {
      fn.destroy();
      await dynamo.stop();
    });

    const put = (status: string, padding: number, condition?: string) =>
      fn.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { videoId: { S: 'v1' }, status: { S: status }, notes: { S: 'x'.repeat(padding) } },
          ...(condition && { ConditionExpression: condition }),
        }),
      );

    it('counts a write by item size per KB, with the index entry it creates', async () => {
      await put('UPLOADED', 1500);

      expect(meter.snapshot().dynamodb['transcode-video']).to.deep.equal({
        readRequests: 0,
        writeRequests: 1,
        readUnits: 0,
        writeUnits: 2,
        indexWriteUnits: 2,
      });
    });

    it('counts an update that moves the item in its index as a delete and a put there', async () => {
      await put('UPLOADED', 10);
      const before = meter.snapshot().dynamodb['transcode-video'];

      await fn.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { videoId: { S: 'v1' } },
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'READY' } },
        }),
      );

      const after = meter.snapshot().dynamodb['transcode-video'];
      expect((after?.writeUnits ?? 0) - (before?.writeUnits ?? 0)).to.equal(1);
      expect((after?.indexWriteUnits ?? 0) - (before?.indexWriteUnits ?? 0)).to.equal(2);
    });

    it('still charges a write whose condition fails, by the existing item, and nothing to the index', async () => {
      await put('UPLOADED', 2500);

      let error: unknown;
      try {
        await put('READY', 10, 'attribute_not_exists(videoId)');
      } catch (caught) {
        error = caught;
      }

      expect(error).to.be.instanceOf(ConditionalCheckFailedException);
      expect(meter.snapshot().dynamodb['transcode-video']).to.include({
        writeRequests: 2,
        writeUnits: 3 + 3,
        indexWriteUnits: 3,
      });
    });

    it("counts reads as dynalite's consumed capacity: 4 KB units, half when eventually consistent", async () => {
      await put('UPLOADED', 5000);

      await fn.send(
        new GetItemCommand({ TableName: TABLE, Key: { videoId: { S: 'v1' } }, ConsistentRead: true }),
      );
      await fn.send(new GetItemCommand({ TableName: TABLE, Key: { videoId: { S: 'v1' } } }));
      await fn.send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'UPLOADED' } },
        }),
      );

      expect(meter.snapshot().dynamodb['transcode-video']).to.include({
        readRequests: 3,
        readUnits: 2 + 1 + 1,
      });
    });

    it('names requests without an app id client and does not count its own', async () => {
      const own = new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: REGION,
        credentials: LOCAL_CREDENTIALS,
        userAgentAppId: METER_APP_ID,
      });
      try {
        await dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { videoId: { S: 'none' } } }));
        await own.send(new GetItemCommand({ TableName: TABLE, Key: { videoId: { S: 'none' } } }));
      } finally {
        own.destroy();
      }

      expect(Object.keys(meter.snapshot().dynamodb)).to.deep.equal(['client']);
      expect(meter.snapshot().dynamodb.client).to.include({ readRequests: 1, readUnits: 0.5 });
    });
  });

  describe('S3', () => {
    let meter: UsageMeter;
    let s3: LocalS3;
    let dir: string;

    beforeEach(async () => {
      meter = new UsageMeter();
      dir = await mkdtemp(join(tmpdir(), 'usage-s3-'));
      s3 = await startS3({ dataDir: dir, region: REGION, usage: meter });
    });

    afterEach(async () => {
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('counts each request by requester and price class, and stored bytes without counting the listing', async () => {
      const config = {
        endpoint: s3.endpoint,
        region: REGION,
        credentials: LOCAL_CREDENTIALS,
        forcePathStyle: true,
      };
      const fn = s3ClientFor('set-permissions', config);
      const own = s3ClientFor(METER_APP_ID, config);
      try {
        await s3.client.send(new CreateBucketCommand({ Bucket: 'media' }));
        await fn.send(new PutObjectCommand({ Bucket: 'media', Key: 'a.mp4', Body: 'abcd' }));
        await fn.send(new PutObjectCommand({ Bucket: 'media', Key: 'b.mp4', Body: 'xy' }));
        await (
          await fn.send(new GetObjectCommand({ Bucket: 'media', Key: 'a.mp4' }))
        ).Body?.transformToString();
        await fn.send(new ListObjectsV2Command({ Bucket: 'media' }));
        await fn.send(new DeleteObjectCommand({ Bucket: 'media', Key: 'b.mp4' }));

        const bytes = await storedBytes(own, [{ name: 'media', versioned: false }]);

        expect(bytes).to.deep.equal({ media: { current: 4, noncurrent: 0, objects: 1 } });
        expect(meter.snapshot().s3).to.deep.equal({
          client: { tier1: 1, tier2: 0, free: 0 },
          'set-permissions': { tier1: 3, tier2: 1, free: 1 },
        });
      } finally {
        fn.destroy();
        own.destroy();
      }
    });
  });

  describe('Lambda', () => {
    it('counts each invocation at the function’s memory and architecture, a container’s start with its first', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'usage-lambda-'));
      const meter = new UsageMeter();
      const runner = new LambdaRunner({ logDir: dir, usage: meter });
      try {
        await writeFile(join(dir, 'index.mjs'), 'export const handler = async () => ({ ok: true });');
        runner.register({
          name: 'demo',
          arn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
          modulePath: join(dir, 'index.mjs'),
          exportName: 'handler',
          env: { PATH: process.env.PATH ?? '' },
          timeoutMs: 5000,
          maxRetries: 0,
          maxConcurrency: 1,
          memoryMb: 512,
          architecture: 'arm64',
        });
        await runner.invoke('demo', {});
        const first = meter.snapshot().lambda.demo;
        await runner.invoke('demo', {});
        const usage = meter.snapshot().lambda.demo;

        expect(usage).to.include({ invocations: 2, memoryMb: 512, architecture: 'arm64' });
        expect(usage?.initMs).to.equal(first?.initMs).and.to.be.greaterThan(0);
        expect(Number.isInteger(usage?.billedMs)).to.equal(true);
        expect(usage?.gbSeconds).to.be.closeTo((512 / 1024) * ((usage?.billedMs ?? 0) / 1000), 1e-9);
      } finally {
        await runner.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('SNS and EventBridge', () => {
    it('counts a publish and a delivery per subscription it reached', () => {
      const meter = new UsageMeter();
      const sns = startSns({ deliver: () => undefined, region: REGION, usage: meter });
      const topic = 'arn:aws:sns:us-east-1:000000000000:jobs';
      sns.createTopic(topic);
      sns.subscribe({
        topicArn: topic,
        protocol: 'lambda',
        endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:a',
      });
      sns.subscribe({
        topicArn: topic,
        protocol: 'lambda',
        endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:b',
      });

      sns.publish(topic, '{"state":"COMPLETED"}');

      expect(meter.snapshot().sns).to.deep.equal({
        publishes: 1,
        billedPublishes: 1,
        deliveries: { lambda: 2 },
      });
    });

    it('counts AWS services’ events as service events and any other source as custom, with the targets reached', () => {
      const meter = new UsageMeter();
      const bridge = startEventBridge({
        deliver: () => undefined,
        region: REGION,
        account: '000000000000',
        usage: meter,
      });
      bridge.addRule({
        name: 'jobs',
        bus: 'default',
        pattern: { source: ['aws.mediaconvert'] },
        targets: [{ arn: 'arn:aws:lambda:us-east-1:000000000000:function:status' }],
      });

      bridge.putRawEvent({
        source: 'aws.mediaconvert',
        'detail-type': 'MediaConvert Job State Change',
        detail: {},
      });
      bridge.putEvent({ source: 'com.example.videos', detailType: 'Video ready', detail: {} });

      expect(meter.snapshot().eventbridge).to.deep.equal({
        serviceEvents: 1,
        customEvents: 1,
        deliveries: 1,
      });
    });
  });
});
