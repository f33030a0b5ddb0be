import { CancelJobCommand, ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';

type Handler = (event: unknown) => Promise<void>;

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('delete-video handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;
  let s3: AwsClientStub<S3Client>;
  let et: AwsClientStub<ElasticTranscoderClient>;

  before(async () => {
    restoreEnv = setEnv({ ...PIPELINE_FUNCTION_ENV, UPLOAD_BUCKET_NAME: '24hv-uploads-dev' });
    ({ handler } = (await import('#functions/delete-video/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
    s3 = mockClient(S3Client);
    et = mockClient(ElasticTranscoderClient);
  });
  afterEach(() => {
    dynamo.restore();
    s3.restore();
    et.restore();
  });

  it('purges a tombstone with the configured backend and buckets', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        videoId: VIDEO_ID,
        status: 'DELETED',
        createdAt: '2026-11-24T10:00:00.000Z',
        ownerId: 'user-1',
        source: { bucket: '24hv-uploads-dev', key: `uploads/user-1/${VIDEO_ID}/a.mp4` },
        transcoder: 'elastic-transcoder',
        jobId: 'job-1',
      },
    });
    dynamo.on(UpdateCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    et.on(CancelJobCommand).resolves({});

    await handler({ videoId: VIDEO_ID, reason: 'requested' });

    expect(et.commandCalls(CancelJobCommand)[0]?.args[0].input).to.deep.equal({ Id: 'job-1' });
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: '24hv-transcoded-dev', Prefix: `videos/${VIDEO_ID}/` },
      { Bucket: '24hv-uploads-dev', Prefix: `uploads/user-1/${VIDEO_ID}/` },
    ]);
    expect(dynamo.commandCalls(UpdateCommand)).to.have.length(1);
  });

  it('throws on an event that is not a deletion request, touching nothing', async () => {
    const error = await handler({ videoId: 'x' }).catch((e: unknown) => e);

    expect(error).to.have.property('name', 'InvalidDeletionRequestError');
    expect(dynamo.calls()).to.deep.equal([]);
  });
});
