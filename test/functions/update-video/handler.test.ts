import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { ApiEvent, ApiResult } from '#shared/http';
import { API_FUNCTION_ENV, setEnv } from '../../support/api-env.ts';
import { apiEvent } from '../../support/api-event.ts';

type Handler = (event: ApiEvent) => Promise<ApiResult>;

const ID = 'BBBBBBBBBBBBBBBBBBBBBB';
const patch = (sub: string, body: unknown) =>
  apiEvent({
    method: 'PATCH',
    routeKey: 'PATCH /videos/{videoId}',
    path: `/videos/${ID}`,
    sub,
    body,
    pathParameters: { videoId: ID },
  });

const ITEM = {
  videoId: ID,
  status: 'READY',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:05:00.000Z',
  ownerId: 'owner-a',
  source: { bucket: 'upload-bucket', key: `uploads/owner-a/${ID}/clip.mp4`, filename: 'clip.mp4' },
  jobComplete: true,
  renditions: { '720p': { key: `videos/${ID}/720p.mp4` } },
  permissions: { '720p': { key: `videos/${ID}/720p.mp4`, visibility: 'public' } },
  visibility: 'public',
};

describe('update-video handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;
  let s3: AwsClientStub<S3Client>;

  before(async () => {
    restoreEnv = setEnv(API_FUNCTION_ENV);
    ({ handler } = (await import('#functions/update-video/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
    s3 = mockClient(S3Client);
    s3.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'visibility', Value: 'public' }] });
    s3.on(PutObjectTaggingCommand).resolves({});
  });
  afterEach(() => {
    dynamo.restore();
    s3.restore();
  });

  it('answers 200 with the updated view', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { ...structuredClone(ITEM), title: 'Sea' } });

    const result = await handler(patch('owner-a', { title: 'Sea' }));

    expect(result.statusCode).to.equal(200);
    expect(JSON.parse(result.body ?? '')).to.deep.include({
      videoId: ID,
      title: 'Sea',
      visibility: 'public',
    });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).to.deep.include({
      TableName: 'videos-table',
      Key: { videoId: ID },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('untags the renditions when the owner makes the video private', async () => {
    const privateItem = { ...structuredClone(ITEM), visibility: 'private' };
    dynamo.on(UpdateCommand).resolves({ Attributes: privateItem });
    dynamo.on(GetCommand).resolves({ Item: privateItem });

    const result = await handler(patch('owner-a', { visibility: 'private' }));

    expect(result.statusCode).to.equal(200);
    expect(s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: 'transcoded-bucket', Key: `videos/${ID}/720p.mp4`, Tagging: { TagSet: [] } },
    ]);
  });

  it('answers 404 to anyone but the owner', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));

    const result = await handler(patch('owner-b', { title: 'Mine now' }));

    expect(result.statusCode).to.equal(404);
    expect(JSON.parse(result.body ?? '')).to.include({ code: 'NOT_FOUND' });
  });

  it('answers 400 INVALID_REQUEST naming an unknown field, before any write', async () => {
    const result = await handler(patch('owner-a', { title: 'ok', status: 'READY' }));

    expect(result.statusCode).to.equal(400);
    expect(JSON.parse(result.body ?? '')).to.deep.equal({
      code: 'INVALID_REQUEST',
      message: '"status" is not a field that can be changed; send only "title", "description", "visibility".',
    });
    expect(dynamo.calls()).to.deep.equal([]);
  });

  it('answers 400 INVALID_JSON for a body that is not JSON', async () => {
    const result = await handler(patch('owner-a', '{"title": '));

    expect(result.statusCode).to.equal(400);
    expect(JSON.parse(result.body ?? '')).to.include({ code: 'INVALID_JSON' });
  });
});
