import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { ENV } from '#shared/config';
import type { RecordBatchError } from '#shared/events';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';
import { loadEventFixture } from '../../support/fixtures.ts';
import { transcodingItem } from '../../support/pipeline-fakes.ts';

type Handler = (event: unknown) => Promise<void>;
type SnsEvent = { Records: { Sns: { Message: string } }[] };

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('transcode-status handler', () => {
  let restoreEnv: () => void;
  let handler: Handler;
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  let s3: AwsClientStub<S3Client>;

  before(async () => {
    restoreEnv = setEnv(PIPELINE_FUNCTION_ENV);
    ({ handler } = await import('#functions/transcode-status/handler.ts'));
  });

  after(() => restoreEnv());

  beforeEach(() => {
    ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves(transcodingItem(VIDEO_ID));
    s3 = mockClient(S3Client);
    s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3.on(PutObjectTaggingCommand).resolves({});
  });

  afterEach(() => {
    ddb.restore();
    s3.restore();
  });

  const updatesOf = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);

  describe('Elastic Transcoder over SNS', () => {
    it('records the completed job, then tries READY', async () => {
      // Act
      await handler(loadEventFixture('elastic-transcoder-completed'));

      // Assert
      const updates = updatesOf();
      expect(updates.map((u) => u.Key)).to.deep.equal([{ videoId: VIDEO_ID }, { videoId: VIDEO_ID }]);
      expect(updates[0]?.ExpressionAttributeValues).to.include({ ':true': true, ':hundred': 100 });
      expect(updates[1]?.ExpressionAttributeValues).to.include({ ':ready': 'READY' });
    });

    it('marks the video FAILED with the code and message, and processes the other records first', async () => {
      // Arrange
      const event = loadEventFixture<SnsEvent>('elastic-transcoder-error');
      const [record] = event.Records;
      if (!record) throw new Error('fixture has no record');
      event.Records = [{ ...record, Sns: { ...record.Sns, Message: 'not json' } }, record];

      // Act
      const error = await handler(event).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      // By name: the handler was imported dynamically, and tsx may give it its own module instance.
      expect(error).to.have.property('name', 'RecordBatchError');
      expect((error as RecordBatchError).failures.map((f) => f.index)).to.deep.equal([0]);
      const updates = updatesOf();
      expect(updates).to.have.length(1);
      expect(updates[0]?.ExpressionAttributeValues).to.include({
        ':failed': 'FAILED',
        ':errorCode': '4000',
        ':reason':
          '4000 b2f4a1c0-0000-4000-8000-000000000000: Amazon Elastic Transcoder could not interpret the media file.',
      });
    });
  });

  describe('MediaConvert over EventBridge', () => {
    it('records the completed job of a MediaConvert event', async () => {
      // Act
      await handler(loadEventFixture('mediaconvert-complete'));

      // Assert
      const updates = updatesOf();
      expect(updates.map((u) => u.Key)).to.deep.include({ videoId: VIDEO_ID });
      expect(updates.map((u) => u.ExpressionAttributeValues?.[':applied'])).to.deep.include({
        key: `videos/${VIDEO_ID}/poster.0000000.jpg`,
        visibility: 'public',
      });
      expect(updates.map((u) => u.ExpressionAttributeValues?.[':true'])).to.include(true);
      expect(s3.commandCalls(PutObjectTaggingCommand).map((call) => call.args[0].input)).to.deep.equal([
        {
          Bucket: PIPELINE_FUNCTION_ENV[ENV.TRANSCODED_BUCKET],
          Key: `videos/${VIDEO_ID}/poster.0000000.jpg`,
          Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] },
        },
      ]);
    });
  });
});
