import { connect } from 'node:net';
import { expect } from 'chai';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { type LocalCloudApi, startLocalCloudApi } from '#local/emulators/apigateway';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '#local/emulators/cognito';
import { prepareLocalStack } from '#local/prepare';

/** A raw HTTP/1.1 exchange, for requests fetch refuses to send (odd methods, bytes that are not UTF-8). */
function rawExchange(url: string, request: Buffer | string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n'),
      });
    });
    socket.end(request);
  });
}

interface Case {
  readonly name: string;
  readonly method?: string;
  readonly path: string;
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
  /** Leave the token out. */
  readonly anonymous?: boolean;
  /** The status the API must answer; any 4xx when unset. */
  readonly status?: number;
  /** The `code` of a function's error body, when the request reaches one. */
  readonly code?: string;
}

const VIDEO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const json = { 'content-type': 'application/json' };
const upload = (body: unknown) => ({
  method: 'POST',
  path: '/uploads',
  headers: json,
  body: JSON.stringify(body),
});

const CASES: readonly Case[] = [
  // Wrong methods and paths.
  { name: 'PUT /uploads', method: 'PUT', path: '/uploads', status: 404 },
  { name: 'GET /uploads', path: '/uploads', status: 404 },
  { name: 'POST /videos', method: 'POST', path: '/videos', headers: json, body: '{}', status: 404 },
  { name: 'PATCH /videos', method: 'PATCH', path: '/videos', status: 404 },
  { name: 'DELETE /videos', method: 'DELETE', path: '/videos', status: 404 },
  { name: 'OPTIONS without a preflight', method: 'OPTIONS', path: '/videos', status: 404 },
  { name: 'GET /', path: '/', status: 404 },
  { name: 'GET /videos/', path: '/videos/', status: 404 },
  { name: 'GET /videos/a/b', path: `/videos/${VIDEO_ID}/extra`, status: 404 },
  { name: 'a route without a token', path: '/videos', anonymous: true, status: 401 },
  {
    name: 'a Basic authorization',
    path: '/videos',
    anonymous: true,
    headers: { authorization: 'Basic YTpi' },
    status: 401,
  },
  {
    name: 'a token of 8 KB of junk',
    path: '/videos',
    anonymous: true,
    headers: { authorization: `Bearer ${'x'.repeat(8000)}` },
    status: 401,
  },
  {
    name: 'a token of three empty parts',
    path: '/videos',
    anonymous: true,
    headers: { authorization: 'Bearer ..' },
    status: 401,
  },
  // Bad JSON and bodies that are not objects.
  {
    ...upload(undefined),
    body: '{',
    name: 'POST /uploads with truncated JSON',
    status: 400,
    code: 'INVALID_JSON',
  },
  { ...upload(undefined), body: '', name: 'POST /uploads without a body', status: 400, code: 'INVALID_JSON' },
  { ...upload([]), name: 'POST /uploads with an array', status: 400, code: 'INVALID_JSON' },
  { ...upload(null), name: 'POST /uploads with null', status: 400, code: 'INVALID_JSON' },
  { ...upload('clip.mp4'), name: 'POST /uploads with a string', status: 400, code: 'INVALID_JSON' },
  { ...upload(7), name: 'POST /uploads with a number', status: 400, code: 'INVALID_JSON' },
  {
    ...upload(undefined),
    body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    name: 'POST /uploads with JSON nested 100,000 deep',
    status: 400,
  },
  {
    ...upload(undefined),
    body: `\uFEFF${JSON.stringify({ filename: 'a.mp4', contentType: 'video/mp4', size: 1 })}`,
    name: 'POST /uploads with a byte-order mark',
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    ...upload(undefined),
    body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    name: 'POST /uploads with bytes that are not UTF-8',
    status: 400,
  },
  {
    ...upload(undefined),
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array([0, 1, 2, 3, 255]),
    name: 'POST /uploads with a binary body (base64 in the event)',
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    ...upload(undefined),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: 'not gzip',
    name: 'POST /uploads claiming gzip',
    status: 400,
  },
  // Fields of the wrong type or shape.
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4', size: -1 }),
    name: 'a negative size',
    status: 400,
  },
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4', size: 1.5 }),
    name: 'a fractional size',
    status: 400,
  },
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4', size: 1e300 }),
    name: 'a size of 1e300',
    status: 400,
  },
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4', size: '10' }),
    name: 'a size as a string',
    status: 400,
  },
  {
    ...upload({ filename: ['a.mp4'], contentType: 'video/mp4', size: 10 }),
    name: 'a filename array',
    status: 400,
  },
  {
    ...upload({ filename: { toString: 1 }, contentType: 'video/mp4', size: 10 }),
    name: 'a filename object',
    status: 400,
  },
  {
    ...upload({ filename: `${'a'.repeat(300)}.mp4`, contentType: 'video/mp4', size: 10 }),
    name: 'a 304-character filename',
    status: 400,
  },
  {
    ...upload({ filename: 'a\u0000.mp4', contentType: 'video/mp4', size: 10 }),
    name: 'a NUL in the filename',
    status: 400,
  },
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4\r\nx-evil: 1', size: 10 }),
    name: 'a CRLF in the content type',
    status: 400,
  },
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4', size: 10, visibility: 'secret' }),
    name: 'an unknown visibility',
    status: 400,
  },
  {
    ...upload({ filename: 'a.mp4', contentType: 'video/mp4', size: 10, extra: true }),
    name: 'an unknown field',
    status: 400,
  },
  {
    ...upload({ filename: '\ud800.mp4', contentType: 'video/mp4', size: 10 }),
    name: 'a lone surrogate in the filename',
    status: 400,
  },
  {
    ...upload({ filename: '../../etc/passwd', contentType: 'video/mp4', size: 10 }),
    name: 'a path as the filename',
    status: 400,
  },
  {
    ...upload({ __proto__: { size: 10 }, filename: 'a.mp4', contentType: 'video/mp4' }),
    name: 'a __proto__ member',
    status: 400,
  },
  // Path parameters.
  {
    name: 'a video id of 5,000 characters',
    path: `/videos/${'a'.repeat(5000)}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  { name: 'a NUL as the video id', path: '/videos/%00', status: 404, code: 'NOT_FOUND' },
  {
    name: 'an encoded slash in the video id',
    path: '/videos/..%2F..%2Fuploads',
    status: 404,
    code: 'NOT_FOUND',
  },
  { name: 'bad percent-encoding in the video id', path: '/videos/%E0%A4%A', status: 404 },
  {
    name: 'a unicode video id',
    path: `/videos/${encodeURIComponent('视频视频视频视频视频视频视频视频视频视频视频')}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'PATCH with a unicode id',
    method: 'PATCH',
    path: `/videos/${encodeURIComponent('é'.repeat(22))}`,
    headers: json,
    body: '{"title":"x"}',
    status: 404,
  },
  { name: 'DELETE with a NUL id', method: 'DELETE', path: '/videos/%00', status: 404 },
  // PATCH bodies.
  {
    name: 'PATCH with a title number',
    method: 'PATCH',
    path: `/videos/${VIDEO_ID}`,
    headers: json,
    body: '{"title":1}',
    status: 400,
  },
  {
    name: 'PATCH with an empty object',
    method: 'PATCH',
    path: `/videos/${VIDEO_ID}`,
    headers: json,
    body: '{}',
    status: 400,
  },
  {
    name: 'PATCH with a 100,000-character description',
    method: 'PATCH',
    path: `/videos/${VIDEO_ID}`,
    headers: json,
    body: JSON.stringify({ description: 'd'.repeat(100_000) }),
    status: 400,
  },
  // Query strings and cursors.
  { name: 'limit=abc', path: '/videos?limit=abc', status: 400, code: 'INVALID_LIMIT' },
  { name: 'limit=-1', path: '/videos?limit=-1', status: 400, code: 'INVALID_LIMIT' },
  { name: 'limit=1e3', path: '/videos?limit=1e3', status: 400, code: 'INVALID_LIMIT' },
  { name: 'limit of 30 digits', path: `/videos?limit=${'9'.repeat(30)}`, status: 200 },
  { name: 'two limits', path: '/videos?limit=1&limit=2', status: 400, code: 'INVALID_LIMIT' },
  { name: 'a garbage cursor', path: '/videos?cursor=%%%garbage', status: 400 },
  {
    name: 'a cursor of base64 junk',
    path: `/videos?cursor=${Buffer.from('{"videoId":1}').toString('base64url')}`,
    status: 400,
    code: 'INVALID_CURSOR',
  },
  {
    name: 'a cursor of 10 KB',
    path: `/videos?cursor=${'A'.repeat(10_000)}`,
    status: 400,
    code: 'INVALID_CURSOR',
  },
  {
    name: 'a cursor for mine=true on the catalogue',
    path: `/videos?mine=true&cursor=${Buffer.from('[]').toString('base64url')}`,
    status: 400,
    code: 'INVALID_CURSOR',
  },
  { name: 'mine=yes', path: '/videos?mine=yes', status: 400, code: 'INVALID_REQUEST' },
  {
    name: 'a unicode query',
    path: `/videos?${encodeURIComponent('ключ')}=${encodeURIComponent('значение')}`,
    status: 200,
  },
  { name: 'bad percent-encoding in the query', path: '/videos?limit=%E0%A4%A', status: 400 },
  // Headers.
  { name: 'a 7 KB header', path: '/videos', headers: { 'x-padding': 'p'.repeat(7000) }, status: 200 },
  {
    name: 'a unicode-looking header value',
    path: '/videos',
    headers: { 'x-name': 'caf\u00e9' },
    status: 200,
  },
  {
    name: 'an origin that is not allowed',
    path: '/videos',
    headers: { origin: 'https://evil.example' },
    status: 200,
  },
  {
    name: 'a preflight from an origin that is not allowed',
    method: 'OPTIONS',
    path: '/uploads',
    anonymous: true,
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    status: 204,
  },
];

describe('local cloud HTTP API under abuse (end to end)', () => {
  let cloud: LocalCloud;
  let api: LocalCloudApi;
  let idp: LocalIdentityProvider;
  let token: string;

  before(async function () {
    this.timeout(600_000);
    cloud = await startLocalCloud({ stackFile: await prepareLocalStack('mediaconvert'), retryDelayMs: 50 });
    idp = await createLocalIdentityProvider();
    api = await startLocalCloudApi(cloud, { identity: idp });
    token = await idp.issueToken({ sub: 'cccccccc-0000-4000-8000-00000000000c', username: 'carol' });
  });

  after(async function () {
    this.timeout(60_000);
    await api?.stop();
    await cloud?.stop();
  });

  for (const c of CASES) {
    it(`answers ${c.status ?? '4xx'} without a stack trace: ${c.name}`, async () => {
      const headers = new Headers(c.headers);
      if (!c.anonymous) headers.set('authorization', `Bearer ${token}`);
      const response = await fetch(`${api.endpoint}${c.path}`, {
        method: c.method ?? 'GET',
        headers,
        ...(c.body !== undefined && { body: c.body }),
      });
      const text = await response.text();

      expect(response.status, text).to.be.below(500);
      if (c.status !== undefined) expect(response.status, text).to.equal(c.status);
      expect(text).to.not.match(/\bat .*\.(m?js|ts):\d+|stackTrace|\n\s+at /);
      if (response.status >= 400) {
        const body = JSON.parse(text) as { code?: string; message?: string };
        expect(body.message, text).to.be.a('string').and.not.equal('');
        if (c.code !== undefined) expect(body.code, text).to.equal(c.code);
      }
    });
  }

  it('answers 413 PAYLOAD_TOO_LARGE as JSON to a 7 MB body: over Lambda’s 6 MB synchronous payload', async () => {
    const response = await fetch(`${api.endpoint}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        filename: 'a.mp4',
        contentType: 'video/mp4',
        size: 1,
        pad: 'p'.repeat(7 * 1024 * 1024),
      }),
    });
    const body = (await response.json()) as { code: string; message: string };

    expect(response.status).to.equal(413);
    expect(body.code).to.equal('PAYLOAD_TOO_LARGE');
    expect(body.message).to.match(/6 MB/);
  });

  it('answers 413 to a body of 11 MB, over API Gateway’s 10 MB, without reading it all', async () => {
    const response = await fetch(`${api.endpoint}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: 'x'.repeat(11 * 1024 * 1024),
    });

    expect(response.status).to.equal(413);
    expect(((await response.json()) as { code: string }).code).to.equal('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown method and a malformed request line with 4xx, not 500', async () => {
    const unknown = await rawExchange(
      api.endpoint,
      `BREW /videos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    const badPath = await rawExchange(
      api.endpoint,
      'GET /videos/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const hugeHeader = await rawExchange(
      api.endpoint,
      `GET /videos HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40_000)}\r\nConnection: close\r\n\r\n`,
    );

    for (const answer of [unknown, badPath, hugeHeader]) {
      expect(answer.status, answer.body).to.be.within(400, 499);
      expect(answer.body).to.not.match(/\n\s+at /);
    }
  });

  it('still serves after all of that', async () => {
    const response = await fetch(`${api.endpoint}/videos`, { headers: { authorization: `Bearer ${token}` } });

    expect(response.status).to.equal(200);
  });
});
