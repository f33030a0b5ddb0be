import { ElasticTranscoderClient, ReadJobCommand } from '@aws-sdk/client-elastic-transcoder';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';

type Handler = (event: unknown) => Promise<void>;

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('reconcile-videos handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;
  let et: AwsClientStub<ElasticTranscoderClient>;

  before(async () => {
    restoreEnv = setEnv({ ...PIPELINE_FUNCTION_ENV, UPLOAD_BUCKET_NAME: '24hv-uploads-dev' });
    ({ handler } = (await import('#functions/reconcile-videos/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
    et = mockClient(ElasticTranscoderClient);
  });
  afterEach(() => {
    dynamo.restore();
    et.restore();
  });

  it('runs at the scheduled event’s time: queries each status by index, oldest first, and reads the job of a stale video', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo
      .on(QueryCommand, {
        ExpressionAttributeValues: { ':pk': 'TRANSCODING', ':before': '2026-11-24T11:45:00.000Z' },
      })
      .resolves({
        Items: [
          {
            videoId: VIDEO_ID,
            status: 'TRANSCODING',
            createdAt: '2026-11-24T11:00:00.000Z',
            transcoder: 'elastic-transcoder',
            jobId: 'job-1',
          },
        ],
      });
    et.on(ReadJobCommand).resolves({
      Job: { Id: 'job-1', Status: 'Progressing', UserMetadata: { videoId: VIDEO_ID } },
    });

    // Act
    await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-24T12:00:00Z' });

    // Assert
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(
      queries.map((q) => [q.IndexName, q.ExpressionAttributeValues?.[':pk'], q.ScanIndexForward]),
    ).to.deep.equal([
      ['byStatus', 'TRANSCODING', true],
      ['byStatus', 'UPLOADED', true],
      ['byStatus', 'DELETED', true],
    ]);
    expect(queries[0]?.KeyConditionExpression).to.equal('#pk = :pk AND #sk < :before');
    expect(queries[2]?.FilterExpression).to.equal(
      'attribute_not_exists(#purgedAt) AND #deletedAt < :deletedBefore',
    );
    expect(et.commandCalls(ReadJobCommand)[0]?.args[0].input).to.deep.equal({ Id: 'job-1' });
  });
});
