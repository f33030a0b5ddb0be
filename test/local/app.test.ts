import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type LocalApp, startLocalApp } from '#local/app';
import { localApiInstructions } from '#local/emulators/apigateway';
import { DEV_USER } from '#local/emulators/cognito';
import { prepareLocalStack } from '#local/prepare';
import { signIn, tokenRequest } from '#test/support/oidc-flow.ts';

interface AppConfig {
  apiUrl: string;
  auth: { authority: string; clientId: string; redirectUri: string; postLogoutRedirectUri: string };
}

describe('local app (cloud + API + OpenID provider + web server)', () => {
  let app: LocalApp;
  let webRoot: string;

  before(async function () {
    this.timeout(600_000);
    const stackFile = await prepareLocalStack('mediaconvert');
    webRoot = await mkdtemp(join(tmpdir(), '24hv-app-web-'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>24-Hour Video</title>');
    app = await startLocalApp({ stackFile, webRoot, webPort: 0, retryDelayMs: 50 });
  });
  after(async function () {
    this.timeout(60_000);
    await app?.stop();
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  const config = async () => (await (await fetch(`${app.urls.web}/config.json`)).json()) as AppConfig;

  it("serves the app, and a config.json naming the local API, the provider and the stack's client", async () => {
    const page = await fetch(`${app.urls.web}/videos/some-id`);
    const body = await config();

    expect(page.status).to.equal(200);
    expect(body.apiUrl).to.equal(app.urls.api);
    expect(body.auth).to.deep.include({
      authority: app.urls.issuer,
      clientId: app.identity.clientId,
      redirectUri: 'http://127.0.0.1:4173/callback',
      postLogoutRedirectUri: 'http://127.0.0.1:4173/',
    });
    const discovery = await fetch(`${body.auth.authority}/.well-known/openid-configuration`);
    expect(((await discovery.json()) as { issuer: string }).issuer).to.equal(body.auth.authority);
  });

  it('lets a user signed in through the provider call the API, as the dev user of the printed token', async () => {
    const { auth, apiUrl } = await config();
    const { code, verifier } = await signIn({
      issuer: auth.authority,
      authorizationEndpoint: app.identity.endpoints.authorization,
      clientId: auth.clientId,
      redirectUri: auth.redirectUri,
      username: 'dev',
    });
    const tokens = await tokenRequest(app.identity.endpoints.token, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: auth.redirectUri,
      client_id: auth.clientId,
      code_verifier: verifier,
    });
    const printed = /export TOKEN=(\S+)/.exec(await localApiInstructions(app.api))?.[1] ?? '';

    for (const token of [String(tokens.body.access_token), printed]) {
      const response = await fetch(`${apiUrl}/videos?mine=true`, {
        headers: { authorization: `Bearer ${token}`, origin: 'http://127.0.0.1:4173' },
      });
      expect(response.status).to.equal(200);
      expect(response.headers.get('access-control-allow-origin')).to.equal('http://127.0.0.1:4173');
    }
    expect(JSON.parse(Buffer.from(printed.split('.')[1] ?? '', 'base64url').toString()).sub).to.equal(
      DEV_USER.sub,
    );
  });

  it('stops every server and removes the data directory', async function () {
    this.timeout(60_000);
    const other = await startLocalApp({
      stack: app.cloud.stack,
      webRoot,
      webPort: 0,
    });
    const { dataDir } = other.cloud;
    const urls = [other.urls.web, other.urls.api, other.urls.issuer];

    await other.stop();

    expect(existsSync(dataDir)).to.equal(false);
    for (const url of urls) {
      const reached = await fetch(url).then(
        () => true,
        () => false,
      );
      expect(reached, url).to.equal(false);
    }
  });
});
