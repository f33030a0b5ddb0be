import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { ApiEvent, ApiResult } from '#shared/http';
import { API_FUNCTION_ENV, setEnv } from '../../support/api-env.ts';
import { apiEvent } from '../../support/api-event.ts';

type Handler = (event: ApiEvent) => Promise<ApiResult>;

const list = (query?: Record<string, string>, sub = 'viewer') =>
  apiEvent({ method: 'GET', routeKey: 'GET /videos', path: '/videos', sub, ...(query ? { query } : {}) });

const READY_ITEM = {
  videoId: 'AAAAAAAAAAAAAAAAAAAAAA',
  status: 'READY',
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:05:00.000Z',
  ownerId: 'owner-a',
  source: {
    bucket: 'upload-bucket',
    key: 'uploads/owner-a/AAAAAAAAAAAAAAAAAAAAAA/clip.mp4',
    filename: 'clip.mp4',
  },
  jobComplete: true,
  renditions: { '720p': { key: 'videos/AAAAAAAAAAAAAAAAAAAAAA/720p.mp4' } },
  visibility: 'public',
  permissions: {
    '720p': { key: 'videos/AAAAAAAAAAAAAAAAAAAAAA/720p.mp4', visibility: 'public' },
    poster: { key: 'videos/AAAAAAAAAAAAAAAAAAAAAA/poster.0000000.jpg', visibility: 'public' },
  },
  poster: 'videos/AAAAAAAAAAAAAAAAAAAAAA/poster.0000000.jpg',
  probes: {},
};

describe('list-videos handler', () => {
  let handler: Handler;
  let restoreEnv: () => void;
  let dynamo: AwsClientStub<DynamoDBDocumentClient>;

  before(async () => {
    restoreEnv = setEnv(API_FUNCTION_ENV);
    ({ handler } = (await import('#functions/list-videos/handler.ts')) as { handler: Handler });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    dynamo = mockClient(DynamoDBDocumentClient);
  });
  afterEach(() => dynamo.restore());

  describe('the catalogue', () => {
    it('queries the byStatus index for public READY videos, newest first, and presigns only the poster', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [structuredClone(READY_ITEM)] });

      const result = await handler(list({ limit: '500' }));

      expect(result.statusCode).to.equal(200);
      const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
      expect(input).to.deep.include({
        TableName: 'videos-table',
        IndexName: 'byStatus',
        ScanIndexForward: false,
      });
      // The repository may read one item ahead to know whether another page exists.
      expect(input?.Limit).to.be.within(100, 101);
      expect(Object.values(input?.ExpressionAttributeValues ?? {})).to.include.members(['READY', 'public']);
      expect(input?.FilterExpression).to.equal('#visibility = :public');
      const body = JSON.parse(result.body ?? '');
      expect(body.items).to.have.length(1);
      const url = new URL(body.items[0].posterUrl);
      expect(url.host).to.equal('transcoded-bucket.s3.us-east-1.amazonaws.com');
      expect(url.pathname).to.equal('/videos/AAAAAAAAAAAAAAAAAAAAAA/poster.0000000.jpg');
      expect(url.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
      expect(body.items[0].renditions).to.deep.equal([{ rendition: '720p' }]);
      expect(body).not.to.have.property('nextCursor');
    });
  });

  describe('mine=true', () => {
    it('queries the byOwner index for the caller', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [] });

      const result = await handler(list({ mine: 'true' }, 'owner-a'));

      expect(result.statusCode).to.equal(200);
      const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
      expect(input).to.deep.include({ IndexName: 'byOwner' });
      expect(input?.Limit).to.be.within(20, 21);
      expect(Object.values(input?.ExpressionAttributeValues ?? {})).to.include('owner-a');
    });
  });

  describe('bad queries', () => {
    it('answers 400 INVALID_CURSOR for a malformed cursor, without a query', async () => {
      const result = await handler(list({ cursor: 'not a cursor!' }));

      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'INVALID_CURSOR');
      expect(dynamo.calls()).to.have.length(0);
    });

    it('answers 400 INVALID_LIMIT for a limit that is not a number', async () => {
      const result = await handler(list({ limit: 'all' }));

      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'INVALID_LIMIT');
    });
  });
});
