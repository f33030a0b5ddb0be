import { expect } from 'chai';
import sinon from 'sinon';
import { type ApiClientOptions, createApiClient } from '#web/api/client.ts';
import { ApiError, isRetryable, NetworkError } from '#web/api/errors.ts';
import { caught } from '../../support/errors.ts';
import { type FakeAnswer, fakeFetch, json } from '../../support/fake-fetch.ts';

const BASE = 'https://api.example.com';
const VIDEO = {
  videoId: 'AbCdEfGhIjKlMnOpQrStUv',
  status: 'READY',
  filename: 'holiday.mp4',
  visibility: 'private',
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:05:00.000Z',
  mine: true,
  renditions: [{ rendition: 'web-720p', width: 1280, height: 720, url: 'https://cdn.example.com/v.mp4' }],
};

function client(answers: FakeAnswer[], overrides: Partial<ApiClientOptions> = {}) {
  const fake = fakeFetch(...answers);
  const onUnauthorized = sinon.stub().returns(true);
  const api = createApiClient({
    baseUrl: `${BASE}/`,
    accessToken: async () => 'token-1',
    onUnauthorized,
    fetch: fake.fetch,
    ...overrides,
  });
  return { api, calls: fake.calls, onUnauthorized };
}

describe('web api client', () => {
  describe('requests', () => {
    it('lists the catalogue with the bearer token, asking for JSON', async () => {
      // Arrange
      const { api, calls } = client([json(200, { items: [VIDEO], nextCursor: 'c2' })]);

      // Act
      const page = await api.listVideos({ limit: 24 });

      // Assert
      expect(calls).to.have.length(1);
      expect(calls[0]).to.deep.include({ url: `${BASE}/videos?limit=24`, method: 'GET', body: undefined });
      expect(calls[0]?.headers).to.deep.equal({
        accept: 'application/json',
        authorization: 'Bearer token-1',
      });
      expect(page).to.deep.equal({ items: [VIDEO], nextCursor: 'c2' });
    });

    it('lists my videos from a cursor, encoding it', async () => {
      // Arrange
      const { api, calls } = client([json(200, { items: [] })]);

      // Act
      const page = await api.listVideos({ mine: true, limit: 5, cursor: 'a+b/c=' });

      // Assert
      expect(calls[0]?.url).to.equal(`${BASE}/videos?mine=true&limit=5&cursor=a%2Bb%2Fc%3D`);
      expect(page).to.deep.equal({ items: [] });
    });

    it('gets one video by its path-encoded id', async () => {
      // Arrange
      const { api, calls } = client([json(200, VIDEO)]);

      // Act
      const video = await api.getVideo('a/b');

      // Assert
      expect(calls[0]?.url).to.equal(`${BASE}/videos/a%2Fb`);
      expect(video).to.deep.equal(VIDEO);
    });

    it('fills in what an older API leaves out: public visibility, no renditions', async () => {
      // Arrange
      const { videoId, status, createdAt, updatedAt, mine } = VIDEO;
      const { api } = client([json(200, { videoId, status, createdAt, updatedAt, mine })]);

      // Act
      const video = await api.getVideo(videoId);

      // Assert
      expect(video).to.deep.include({ visibility: 'public', renditions: [] });
    });

    it('creates an upload with a JSON body, visibility included', async () => {
      // Arrange
      const ticket = { videoId: VIDEO.videoId, url: 'https://s3', fields: { key: 'k' }, expiresAt: 'x' };
      const { api, calls } = client([json(201, ticket)]);
      const request = {
        filename: 'a.mp4',
        contentType: 'video/mp4',
        size: 10,
        visibility: 'private' as const,
      };

      // Act
      const answer = await api.createUpload(request);

      // Assert
      expect(calls[0]).to.deep.include({ url: `${BASE}/uploads`, method: 'POST', body: request });
      expect(calls[0]?.headers['content-type']).to.equal('application/json');
      expect(answer).to.deep.equal(ticket);
    });

    it('patches a video and returns the updated view', async () => {
      // Arrange
      const { api, calls } = client([json(200, { ...VIDEO, title: 'Trip' })]);

      // Act
      const video = await api.updateVideo(VIDEO.videoId, { title: 'Trip' });

      // Assert
      expect(calls[0]).to.deep.include({
        url: `${BASE}/videos/${VIDEO.videoId}`,
        method: 'PATCH',
        body: { title: 'Trip' },
      });
      expect(video.title).to.equal('Trip');
    });

    it('tells an accepted delete (202) from one already done (204)', async () => {
      // Arrange
      const { api, calls } = client([
        json(202, { videoId: VIDEO.videoId, status: 'DELETED' }),
        json(204, undefined),
      ]);

      // Act
      const first = await api.deleteVideo(VIDEO.videoId);
      const second = await api.deleteVideo(VIDEO.videoId);

      // Assert
      expect([first, second]).to.deep.equal(['accepted', 'already-deleted']);
      expect(calls.map((c) => c.method)).to.deep.equal(['DELETE', 'DELETE']);
    });
  });

  describe('errors', () => {
    it("turns the API's { code, message } into an ApiError with both", async () => {
      // Arrange
      const { api } = client([json(400, { code: 'TOO_LARGE', message: '"a.mp4" is too large.' })]);

      // Act
      const error = await caught(api.createUpload({ filename: 'a.mp4', contentType: 'video/mp4', size: 1 }));

      // Assert
      expect(error).to.be.instanceOf(ApiError).and.deep.include({ status: 400, code: 'TOO_LARGE' });
      expect((error as ApiError).message).to.equal('"a.mp4" is too large.');
      expect(isRetryable(error)).to.equal(false);
    });

    it("sends the user to sign-in on API Gateway's 401 and says so", async () => {
      // Arrange
      const { api, onUnauthorized } = client([json(401, { message: 'Unauthorized' })]);

      // Act
      const error = await caught(api.listVideos({}));

      // Assert
      expect(onUnauthorized.callCount).to.equal(1);
      expect(error).to.be.instanceOf(ApiError).and.deep.include({ status: 401, code: 'UNAUTHORIZED' });
      expect((error as ApiError).message).to.equal('Your session has ended. Taking you to sign-in…');
    });

    it('says sign-in does not help when the app will not redirect again', async () => {
      // Arrange
      const { api } = client([json(401, { message: 'Unauthorized' })], {
        onUnauthorized: () => false,
      });

      // Act
      const error = (await caught(api.listVideos({}))) as ApiError;

      // Assert
      expect(error.status).to.equal(401);
      expect(error.message).to.match(/^The API still refuses your sign-in\. Sign out and sign in again/);
    });

    it('asks for sign-in without calling the API when there is no token', async () => {
      // Arrange
      const { api, calls, onUnauthorized } = client([json(200, { items: [] })], {
        accessToken: async () => undefined,
      });

      // Act
      const error = await caught(api.listVideos({}));

      // Assert
      expect(calls).to.have.length(0);
      expect(onUnauthorized.callCount).to.equal(1);
      expect((error as ApiError).status).to.equal(401);
    });

    it('describes an error without a JSON body (a gateway HTML page) by its status', async () => {
      // Arrange
      const html = new Response('<html><body>Bad Gateway</body></html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'content-type': 'text/html' },
      });
      const { api } = client([html]);

      // Act
      const error = await caught(api.getVideo(VIDEO.videoId));

      // Assert
      expect(error).to.be.instanceOf(ApiError).and.deep.include({ status: 502, code: 'HTTP_502' });
      expect((error as ApiError).message).to.equal(
        'The API answered 502 Bad Gateway without saying why. Try again in a moment.',
      );
      expect(isRetryable(error)).to.equal(true);
    });

    it("keeps a bare { message } (API Gateway's 403, 429) with a code made from the status", async () => {
      // Arrange
      const { api } = client([json(429, { message: 'Too Many Requests' })]);

      // Act
      const error = await caught(api.listVideos({}));

      // Assert
      expect(error).to.deep.include({ status: 429, code: 'HTTP_429', message: 'Too Many Requests' });
    });

    it('refuses a success whose body is not what the API sends', async () => {
      // Arrange
      const { api } = client([
        new Response('not json', { status: 200 }),
        json(200, { items: [{ nope: 1 }] }),
      ]);

      // Act
      const notJson = await caught(api.getVideo(VIDEO.videoId));
      const wrongShape = await caught(api.listVideos({}));

      // Assert
      expect(notJson).to.deep.include({ status: 200, code: 'INVALID_RESPONSE' });
      expect(wrongShape).to.deep.include({ status: 200, code: 'INVALID_RESPONSE' });
    });

    it('turns a failed fetch (offline, DNS, CORS) into a retryable NetworkError', async () => {
      // Arrange
      const { api } = client([new TypeError('Failed to fetch')]);

      // Act
      const error = await caught(api.listVideos({}));

      // Assert
      expect(error).to.be.instanceOf(NetworkError);
      expect((error as NetworkError).message).to.equal(
        'Could not reach the API. Check your connection and retry.',
      );
      expect(isRetryable(error)).to.equal(true);
    });

    it('gives up on an API that does not answer within the timeout, as a NetworkError', async () => {
      // Arrange
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const { api } = client(['hang'], { timeoutMs: 30_000 });

        // Act
        const pending = caught(api.listVideos({}));
        await clock.tickAsync(30_000);
        const error = await pending;

        // Assert
        expect(error).to.be.instanceOf(NetworkError);
        expect((error as NetworkError).message).to.equal(
          'The API did not answer within 30 seconds. Check your connection and retry.',
        );
      } finally {
        clock.restore();
      }
    });

    it("passes the caller's own cancellation through untouched", async () => {
      // Arrange
      const { api, calls } = client(['hang']);
      const controller = new AbortController();

      // Act
      const pending = caught(api.listVideos({}, controller.signal));
      await Promise.resolve();
      controller.abort(new DOMException('cancelled', 'AbortError'));
      const error = await pending;

      // Assert
      expect(calls[0]?.signal?.aborted).to.equal(true);
      expect(error).to.be.instanceOf(DOMException).and.not.be.instanceOf(NetworkError);
    });
  });
});
