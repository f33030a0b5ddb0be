import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';
import { loadEventFixture } from '../../support/fixtures.ts';

type Handler = (event: unknown) => Promise<void>;

const VIDEO_ID = 'AbCdEfGhIjKlMnOpQrStUv';

describe('update-video-list handler', () => {
  let restoreEnv: () => void;
  let handler: Handler;
  let ddb: AwsClientStub<DynamoDBDocumentClient>;

  before(async () => {
    restoreEnv = setEnv(PIPELINE_FUNCTION_ENV);
    ({ handler } = await import('#functions/update-video-list/handler.ts'));
  });

  after(() => restoreEnv());

  beforeEach(() => {
    ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(UpdateCommand).resolves({});
  });

  afterEach(() => ddb.restore());

  describe('SNS-wrapped S3 events', () => {
    it('records the rendition with its key on the video table, then tries READY', async () => {
      // Act
      await handler(loadEventFixture('sns-s3-put'));

      // Assert
      const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
      expect(updates).to.have.length(2);
      expect(updates[0]).to.deep.include({
        TableName: 'videos-table',
        Key: { videoId: VIDEO_ID },
        UpdateExpression: 'SET #renditions.#rendition = :value, #updatedAt = :now',
        ConditionExpression:
          '#status = :transcoding AND ' +
          '(attribute_not_exists(#expectedRenditions) OR contains(#expectedRenditions, :rendition))',
      });
      expect(updates[0]?.ExpressionAttributeNames).to.include({ '#rendition': '1080p' });
      expect(updates[0]?.ExpressionAttributeValues?.[':value']).to.deep.equal({
        key: `videos/${VIDEO_ID}/1080p.mp4`,
      });
      expect(updates[1]?.ExpressionAttributeValues).to.include({ ':ready': 'READY' });
    });
  });
});
