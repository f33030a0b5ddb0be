import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { ApiEvent, ApiResult } from '#shared/http';
import { API_FUNCTION_ENV, setEnv } from '../../support/api-env.ts';
import { apiEvent } from '../../support/api-event.ts';

type Handler = (event: ApiEvent) => Promise<ApiResult>;

const ID = 'BBBBBBBBBBBBBBBBBBBBBB';
const get = (sub: string, videoId = ID) =>
  apiEvent({
    method: 'GET',
    routeKey: 'GET /videos/{videoId}',
    path: `/videos/${videoId}`,
    sub,
    pathParameters: { videoId },
  });

const TRANSCODING_ITEM = {
  videoId: ID,
  status: 'TRANSCODING',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:01:00.000Z',
  ownerId: 'owner-a',
  jobComplete: false,
  progress: 30,
  renditions: {},
  permissions: {},
  probes: {},
};

describe('get-video handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;

  before(async () => {
    restoreEnv = setEnv({ ...API_FUNCTION_ENV, CDN_DOMAIN: 'cdn.example.test' });
    ({ handler } = (await import('#functions/get-video/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
  });
  afterEach(() => dynamo.restore());

  describe('visibility', () => {
    it('shows the owner their video in progress', async () => {
      dynamo.on(GetCommand).resolves({ Item: structuredClone(TRANSCODING_ITEM) });

      const result = await handler(get('owner-a'));

      expect(result.statusCode).to.equal(200);
      expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).to.deep.include({
        TableName: 'videos-table',
        Key: { videoId: ID },
      });
      expect(JSON.parse(result.body ?? '')).to.deep.include({
        videoId: ID,
        status: 'TRANSCODING',
        progress: 30,
        mine: true,
      });
    });

    it('answers 404 to anyone else while it is in progress', async () => {
      dynamo.on(GetCommand).resolves({ Item: structuredClone(TRANSCODING_ITEM) });

      const result = await handler(get('owner-b'));

      expect(result.statusCode).to.equal(404);
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'NOT_FOUND');
      expect(result.headers).to.include({ 'access-control-allow-origin': 'https://app.example.test' });
    });

    it('answers 404 for a video that does not exist', async () => {
      dynamo.on(GetCommand).resolves({});

      const result = await handler(get('owner-a'));

      expect(result.statusCode).to.equal(404);
    });

    it('gives CDN URLs for a READY video when CDN_DOMAIN is set', async () => {
      dynamo.on(GetCommand).resolves({
        Item: {
          ...structuredClone(TRANSCODING_ITEM),
          status: 'READY',
          jobComplete: true,
          renditions: { '720p': { key: `videos/${ID}/720p.mp4` } },
          visibility: 'public',
          permissions: { '720p': { key: `videos/${ID}/720p.mp4`, visibility: 'public' } },
        },
      });

      const result = await handler(get('owner-b'));

      expect(result.statusCode).to.equal(200);
      expect(JSON.parse(result.body ?? '').renditions).to.deep.equal([
        { rendition: '720p', url: `https://cdn.example.test/videos/${ID}/720p.mp4` },
      ]);
    });

    it('gives the owner of a private READY video a presigned URL even when CDN_DOMAIN is set', async () => {
      dynamo.on(GetCommand).resolves({
        Item: {
          ...structuredClone(TRANSCODING_ITEM),
          status: 'READY',
          jobComplete: true,
          renditions: { '720p': { key: `videos/${ID}/720p.mp4` } },
          visibility: 'private',
          permissions: { '720p': { key: `videos/${ID}/720p.mp4`, visibility: 'private' } },
        },
      });

      const own = await handler(get('owner-a'));
      const other = await handler(get('owner-b'));

      const url = new URL(JSON.parse(own.body ?? '').renditions[0].url);
      expect(url.host).to.equal('transcoded-bucket.s3.us-east-1.amazonaws.com');
      expect(url.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
      expect(other.statusCode).to.equal(404);
    });
  });
});
