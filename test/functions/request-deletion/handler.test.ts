import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { ApiEvent, ApiResult } from '#shared/http';
import { API_FUNCTION_ENV, setEnv } from '../../support/api-env.ts';
import { apiEvent } from '../../support/api-event.ts';

type Handler = (event: ApiEvent) => Promise<ApiResult>;

const ID = 'BBBBBBBBBBBBBBBBBBBBBB';
const remove = (sub: string) =>
  apiEvent({
    method: 'DELETE',
    routeKey: 'DELETE /videos/{videoId}',
    path: `/videos/${ID}`,
    sub,
    pathParameters: { videoId: ID },
  });

const ITEM = {
  videoId: ID,
  status: 'READY',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:05:00.000Z',
  ownerId: 'owner-a',
  source: { bucket: 'upload-bucket', key: `uploads/owner-a/${ID}/clip.mp4`, filename: 'clip.mp4' },
};

describe('request-deletion handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;
  let lambda: AwsClientStub<LambdaClient>;

  before(async () => {
    restoreEnv = setEnv({ ...API_FUNCTION_ENV, DELETE_VIDEO_FUNCTION_NAME: '24hv-dev-delete-video' });
    ({ handler } = (await import('#functions/request-deletion/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(UpdateCommand).resolves({});
    lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  });
  afterEach(() => {
    dynamo.restore();
    lambda.restore();
  });

  it('answers 202 { videoId, status: DELETED } once the tombstone is written and delete-video invoked', async () => {
    dynamo.on(GetCommand).resolves({ Item: structuredClone(ITEM) });

    const result = await handler(remove('owner-a'));

    expect(result.statusCode).to.equal(202);
    expect(JSON.parse(result.body ?? '')).to.deep.equal({ videoId: ID, status: 'DELETED' });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).to.equal(
      '#ownerId = :ownerId AND #status <> :deleted',
    );
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input).to.deep.include({
      FunctionName: '24hv-dev-delete-video',
      InvocationType: 'Event',
    });
  });

  it('answers 204 with no body when the video is already deleted and purged', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { ...structuredClone(ITEM), status: 'DELETED', purgedAt: '2026-11-24T11:00:00.000Z' },
    });

    const result = await handler(remove('owner-a'));

    expect(result.statusCode).to.equal(204);
    expect(result.body).to.equal('');
    expect(lambda.calls()).to.deep.equal([]);
  });

  it('answers 404 to anyone but the owner', async () => {
    dynamo.on(GetCommand).resolves({ Item: structuredClone(ITEM) });

    const result = await handler(remove('owner-b'));

    expect(result.statusCode).to.equal(404);
    expect(dynamo.commandCalls(UpdateCommand)).to.deep.equal([]);
  });
});
