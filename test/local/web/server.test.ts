import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startWebServer, type WebServer, WebServerError, webConfigFor } from '#local/web';

const INDEX =
  '<!doctype html><title>app</title><script type="module" src="/assets/index-Abc123.js"></script>';
const CONFIG_INPUT = {
  apiUrl: 'http://127.0.0.1:3001/',
  authority: 'http://127.0.0.1:3002',
  clientId: 'client-1',
  scope: 'openid email profile',
  origins: ['http://127.0.0.1:4173', 'http://127.0.0.1:5173'],
};

describe('local/web server', () => {
  let root: string;
  let web: WebServer;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), '24hv-web-test-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), INDEX);
    await writeFile(join(root, 'assets', 'index-Abc123.js'), 'console.log(1);\n');
    await writeFile(join(root, 'assets', 'index-Def456.css'), 'body{}\n');
    await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    web = await startWebServer({
      root,
      port: 0,
      config: (origin) => webConfigFor(origin, CONFIG_INPUT),
      headers: { 'content-security-policy': "default-src 'self'" },
    });
  });
  after(async () => {
    await web?.close();
    await rm(root, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.url}${path}`, { headers });
  /** fetch cannot set `Host`; a proxy (Vite's dev server) sends its own. */
  const getWithHost = (path: string, host: string) =>
    new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      request(`${web.url}${path}`, { headers: { host } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () => resolve({ headers: response.headers, body }));
      })
        .on('error', reject)
        .end();
    });

  describe('files', () => {
    it('serves hashed assets with their content type, cached as immutable', async () => {
      const js = await get('/assets/index-Abc123.js');
      const css = await get('/assets/index-Def456.css');

      expect(js.status).to.equal(200);
      expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
      expect(await js.text()).to.equal('console.log(1);\n');
      expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    });

    it('serves index.html for / with no-cache, and the given headers on every response', async () => {
      const response = await get('/');

      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).to.equal('no-cache');
      expect(response.headers.get('content-security-policy')).to.equal("default-src 'self'");
      expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(await response.text()).to.equal(INDEX);
      expect((await get('/missing.js')).headers.get('content-security-policy')).to.equal(
        "default-src 'self'",
      );
    });

    it('revalidates unhashed files (no-cache) and answers 304 to a matching ETag', async () => {
      const first = await get('/favicon.svg');
      const etag = first.headers.get('etag') ?? '';

      const again = await get('/favicon.svg', { 'if-none-match': etag });

      expect(first.headers.get('content-type')).to.equal('image/svg+xml');
      expect(first.headers.get('cache-control')).to.equal('no-cache');
      expect(etag).not.to.equal('');
      expect(again.status).to.equal(304);
    });
  });

  describe('SPA fallback', () => {
    it('answers client routes (deep links) with index.html', async () => {
      for (const path of ['/videos/abcDEF123', '/callback?code=x&state=y', '/profile/']) {
        const response = await get(path);

        expect(response.status, path).to.equal(200);
        expect(response.headers.get('cache-control'), path).to.equal('no-cache');
        expect(await response.text(), path).to.equal(INDEX);
      }
    });

    it('answers a missing asset with a real 404, not the app', async () => {
      for (const path of ['/assets/index-Gone99.js', '/assets/', '/robots.txt', '/videos/x.mp4']) {
        const response = await get(path);

        expect(response.status, path).to.equal(404);
        expect(await response.text(), path).not.to.equal(INDEX);
      }
    });

    it('never serves a file outside its root', async () => {
      const response = await get('/..%2F..%2F..%2Fetc%2Fpasswd');

      expect(response.status).to.equal(404);
      expect(await response.text()).not.to.include('root:');
    });

    it('refuses methods other than GET and HEAD', async () => {
      const response = await fetch(`${web.url}/`, { method: 'POST', body: 'x' });

      expect(response.status).to.equal(405);
      expect(response.headers.get('allow')).to.equal('GET, HEAD');
    });
  });

  describe('/config.json', () => {
    it("gives a registered origin its own redirect URIs (the Vite dev server's proxy on 5173)", async () => {
      const response = await getWithHost('/config.json', '127.0.0.1:5173');

      expect(response.headers['cache-control']).to.equal('no-cache');
      expect(JSON.parse(response.body)).to.deep.equal({
        apiUrl: 'http://127.0.0.1:3001',
        auth: {
          authority: 'http://127.0.0.1:3002',
          clientId: 'client-1',
          redirectUri: 'http://127.0.0.1:5173/callback',
          postLogoutRedirectUri: 'http://127.0.0.1:5173/',
          scope: 'openid email profile',
        },
      });
    });

    it("gives any other origin the stack's webOrigin", async () => {
      const body = (await (await get('/config.json')).json()) as { auth: { redirectUri: string } };

      expect(body.auth.redirectUri).to.equal('http://127.0.0.1:4173/callback');
    });
  });

  describe('errors', () => {
    it('says which address is in use and what to do when the port is taken', async () => {
      let error: unknown;
      try {
        await startWebServer({ root, port: web.port, config: () => ({}) });
      } catch (caught) {
        error = caught;
      }

      expect(error).to.be.instanceOf(WebServerError);
      expect((error as Error).message).to.include(
        `127.0.0.1:${web.port} is in use — stop the other \`npm start\``,
      );
    });

    it('asks for the build when the root has no index.html', async () => {
      const empty = await mkdtemp(join(tmpdir(), '24hv-web-empty-'));
      const bare = await startWebServer({ root: empty, port: 0, config: () => ({}) });
      try {
        const response = await fetch(`${bare.url}/`);

        expect(response.status).to.equal(503);
        expect(await response.text()).to.include('npm run build:web');
      } finally {
        await bare.close();
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
});
