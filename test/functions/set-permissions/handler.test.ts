import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';
import { loadEventFixture } from '../../support/fixtures.ts';
import { transcodingItem } from '../../support/pipeline-fakes.ts';

type Handler = (event: unknown) => Promise<void>;

const VIDEO_ID = 'AbCdEfGhIjKlMnOpQrStUv';
const BUCKET = '24hv-transcoded-dev';

describe('set-permissions handler', () => {
  let restoreEnv: () => void;
  let handler: Handler;
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  let s3: AwsClientStub<S3Client>;

  before(async () => {
    restoreEnv = setEnv(PIPELINE_FUNCTION_ENV);
    ({ handler } = await import('#functions/set-permissions/handler.ts'));
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

  describe('SNS-wrapped S3 events', () => {
    it('tags every rendition of every message as the public video says and records the permission', async () => {
      // Act
      await handler(loadEventFixture('sns-s3-multiple'));

      // Assert
      expect(s3.commandCalls(PutObjectTaggingCommand).map((call) => call.args[0].input)).to.deep.equal(
        ['720p', 'web-720p'].map((rendition) => ({
          Bucket: BUCKET,
          Key: `videos/${VIDEO_ID}/${rendition}.mp4`,
          Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] },
        })),
      );
      const publicWrites = ddb
        .commandCalls(UpdateCommand)
        .map((call) => call.args[0].input)
        .filter((input) => input.UpdateExpression?.includes('#permissions.#target'));
      expect(
        publicWrites.map((input) => [input.Key, input.ExpressionAttributeNames?.['#target']]),
      ).to.deep.equal([
        [{ videoId: VIDEO_ID }, '720p'],
        [{ videoId: VIDEO_ID }, 'web-720p'],
      ]);
    });
  });
});
