import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { ApiEvent, ApiResult } from '#shared/http';
import { isVideoId } from '#shared/video';
import { API_FUNCTION_ENV, setEnv } from '../../support/api-env.ts';
import { apiEvent } from '../../support/api-event.ts';

type Handler = (event: ApiEvent) => Promise<ApiResult>;

const post = (body: unknown, sub: string | null = 'user-a') =>
  apiEvent({
    method: 'POST',
    routeKey: 'POST /uploads',
    path: '/uploads',
    body,
    ...(sub !== null ? { sub } : {}),
  });

describe('create-upload handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;

  before(async () => {
    restoreEnv = setEnv(API_FUNCTION_ENV);
    ({ handler } = (await import('#functions/create-upload/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
  });
  afterEach(() => dynamo.restore());

  describe('a valid request', () => {
    it('answers 201 with the presigned POST and records the upload', async () => {
      dynamo.on(PutCommand).resolves({});

      const result = await handler(post({ filename: 'clip.mp4', contentType: 'video/mp4', size: 500 }));

      expect(result.statusCode).to.equal(201);
      const body = JSON.parse(result.body ?? '');
      expect(isVideoId(body.videoId)).to.equal(true);
      expect(result.headers).to.include({
        location: `/videos/${body.videoId}`,
        'access-control-allow-origin': 'https://app.example.test',
      });
      expect(body.url).to.equal('https://upload-bucket.s3.us-east-1.amazonaws.com/');
      expect(body.fields).to.include({
        key: `uploads/user-a/${body.videoId}/clip.mp4`,
        'X-Amz-Security-Token': 'role-session',
      });
      const puts = dynamo.commandCalls(PutCommand);
      expect(puts).to.have.length(1);
      expect(puts[0]?.args[0].input).to.deep.include({
        TableName: 'videos-table',
        ConditionExpression: 'attribute_not_exists(#videoId)',
      });
      expect(puts[0]?.args[0].input.Item).to.deep.include({
        videoId: body.videoId,
        status: 'UPLOADED',
        ownerId: 'user-a',
        source: {
          bucket: 'upload-bucket',
          key: `uploads/user-a/${body.videoId}/clip.mp4`,
          filename: 'clip.mp4',
          size: 500,
        },
      });
    });
  });

  describe('refusals', () => {
    it('answers 400 TOO_LARGE with a reason and records nothing', async () => {
      const result = await handler(post({ filename: 'clip.mp4', contentType: 'video/mp4', size: 1_000_001 }));

      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body ?? '')).to.deep.equal({
        code: 'TOO_LARGE',
        message: '"clip.mp4" is 1000001 bytes, over the 1000000-byte limit.',
      });
      expect(dynamo.calls()).to.have.length(0);
    });

    it('answers 400 UNSUPPORTED_TYPE for a non-video content type', async () => {
      const result = await handler(post({ filename: 'clip.mp4', contentType: 'application/pdf', size: 10 }));

      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'UNSUPPORTED_TYPE');
    });

    it('answers 400 INVALID_JSON for a body that is not JSON', async () => {
      const result = await handler(post('{filename'));

      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'INVALID_JSON');
    });

    it('answers 401 when no verified user reached the function', async () => {
      const result = await handler(post({ filename: 'clip.mp4', contentType: 'video/mp4', size: 5 }, null));

      expect(result.statusCode).to.equal(401);
      expect(dynamo.calls()).to.have.length(0);
    });

    it('answers an opaque 500 when the table fails, without a stack trace', async () => {
      dynamo.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded on table videos-table'));

      const result = await handler(post({ filename: 'clip.mp4', contentType: 'video/mp4', size: 5 }));

      expect(result.statusCode).to.equal(500);
      expect(result.body).not.to.match(/videos-table|at .*\.ts/);
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'INTERNAL_ERROR');
    });
  });
});
