import { expect } from 'chai';
import { type LocalApi, mapResult, startLocalApi } from '#local/emulators/apigateway';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '#local/emulators/cognito';
import type { ApiEvent } from '#shared/http';

const ORIGIN = 'http://localhost:5173';

describe('local/emulators/apigateway server', () => {
  let idp: LocalIdentityProvider;
  let api: LocalApi;
  let invocations: Array<{ name: string; event: ApiEvent }>;
  let reply: (name: string, event: ApiEvent) => Promise<unknown>;

  before(async () => {
    idp = await createLocalIdentityProvider();
    api = await startLocalApi({
      invoke: (name, event) => {
        invocations.push({ name, event });
        return reply(name, event);
      },
      authorizer: { issuer: idp.issuer, audience: [idp.audience], keys: idp.keys },
      allowedOrigins: [ORIGIN],
    });
  });
  after(() => api.stop());
  beforeEach(() => {
    invocations = [];
    reply = async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
  });

  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return fetch(`${api.endpoint}${path}`, { ...init, headers });
  };

  describe('authorization', () => {
    it('answers 401 {"message":"Unauthorized"} without a token, and invokes nothing', async () => {
      const response = await call('/videos');

      expect(response.status).to.equal(401);
      expect(await response.json()).to.deep.equal({ message: 'Unauthorized' });
      expect(invocations).to.deep.equal([]);
    });

    it('answers 401 for an expired token', async () => {
      const response = await call('/videos', {
        token: await idp.issueToken(undefined, { expiresInSeconds: -5 }),
      });

      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/expired/);
    });
  });

  describe('routing and the v2 event', () => {
    it("invokes the route's function with a payload-v2 event carrying the verified claims", async () => {
      const token = await idp.issueToken({ sub: 'user-7' });

      const response = await call('/videos/AAAAAAAAAAAAAAAAAAAAAA?x=1&x=2', {
        token,
        headers: { 'x-custom': 'a', cookie: 'c1=1; c2=2' },
      });

      expect(response.status).to.equal(200);
      expect(invocations).to.have.length(1);
      const { name, event } = invocations[0] ?? { name: '', event: {} as ApiEvent };
      expect(name).to.equal('get-video');
      expect(event).to.deep.include({
        version: '2.0',
        routeKey: 'GET /videos/{videoId}',
        rawPath: '/videos/AAAAAAAAAAAAAAAAAAAAAA',
        rawQueryString: 'x=1&x=2',
        queryStringParameters: { x: '1,2' },
        pathParameters: { videoId: 'AAAAAAAAAAAAAAAAAAAAAA' },
        cookies: ['c1=1', 'c2=2'],
        isBase64Encoded: false,
      });
      expect(event.headers).to.include({ 'x-custom': 'a', authorization: `Bearer ${token}` });
      expect(event.requestContext).to.deep.include({ routeKey: 'GET /videos/{videoId}', stage: '$default' });
      expect(event.requestContext.http).to.include({ method: 'GET', path: '/videos/AAAAAAAAAAAAAAAAAAAAAA' });
      expect(event.requestContext.authorizer.jwt.claims).to.include({ sub: 'user-7', token_use: 'access' });
    });

    it('passes a JSON body as text', async () => {
      await call('/uploads', {
        method: 'POST',
        token: await idp.issueToken(),
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });

      expect(invocations[0]?.name).to.equal('create-upload');
      expect(invocations[0]?.event).to.deep.include({ body: '{"a":1}', isBase64Encoded: false });
    });

    it('answers 404 {"message":"Not Found"} for a path no route serves', async () => {
      const response = await call('/nothing', { token: await idp.issueToken() });

      expect(response.status).to.equal(404);
      expect(await response.json()).to.deep.equal({ message: 'Not Found' });
    });

    it('answers 500 {"message":"Internal Server Error"} when the function throws', async () => {
      reply = async () => {
        throw new Error('secret internals');
      };

      const response = await call('/videos', { token: await idp.issueToken() });

      expect(response.status).to.equal(500);
      expect(await response.text()).to.equal('{"message":"Internal Server Error"}');
    });
  });

  describe('CORS', () => {
    it('answers a preflight from the web origin without a token', async () => {
      const response = await call('/uploads', {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
      });

      expect(response.status).to.equal(204);
      expect(response.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
      expect(response.headers.get('access-control-allow-headers')).to.equal('authorization,content-type');
      expect(invocations).to.deep.equal([]);
    });

    it("gives no CORS headers to another origin, and overrides the function's own", async () => {
      reply = async () => ({ statusCode: 200, headers: { 'access-control-allow-origin': '*' }, body: '{}' });

      const response = await call('/videos', {
        token: await idp.issueToken(),
        headers: { origin: 'https://evil.test' },
      });

      expect(response.status).to.equal(200);
      expect(response.headers.get('access-control-allow-origin')).to.equal(null);
    });

    it('adds CORS headers for the web origin, 401s included', async () => {
      const response = await call('/videos', { headers: { origin: ORIGIN } });

      expect(response.status).to.equal(401);
      expect(response.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
    });
  });

  describe('mapResult', () => {
    it('treats a result without statusCode as a 200 JSON body', () => {
      const mapped = mapResult({ a: 1 });

      expect(mapped.status).to.equal(200);
      expect(mapped.body.toString()).to.equal('{"a":1}');
    });

    it('decodes a base64 body and forwards cookies', () => {
      const mapped = mapResult({
        statusCode: 201,
        body: Buffer.from('hi').toString('base64'),
        isBase64Encoded: true,
        cookies: ['a=1'],
      });

      expect(mapped).to.deep.include({ status: 201, headers: { 'set-cookie': 'a=1' } });
      expect(mapped.body.toString()).to.equal('hi');
    });
  });
});
