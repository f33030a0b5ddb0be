import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import sinon from 'sinon';
import { authorizeRequest } from '#local/emulators/apigateway';
import {
  type CognitoClientConfig,
  cognitoClientFromStack,
  DEV_USER,
  type LocalCognito,
  startCognito,
} from '#local/emulators/cognito';
import { authStack } from '#test/support/auth-stack.ts';
import { CookieJar, follow, pkcePair, send, signIn, tokenRequest } from '#test/support/oidc-flow.ts';

const APP = 'http://127.0.0.1:4173';
const REDIRECT = `${APP}/callback`;
const CODE_TTL = 60;

describe('local/emulators/cognito provider', () => {
  let client: CognitoClientConfig;
  let idp: LocalCognito;

  before(async () => {
    client = cognitoClientFromStack(authStack());
    idp = await startCognito({ client, codeTtlSeconds: CODE_TTL });
  });
  after(() => idp.stop());

  const signInAs = (username: string, jar = new CookieJar(), redirectUri = REDIRECT) =>
    signIn({
      issuer: idp.issuer,
      authorizationEndpoint: idp.endpoints.authorization,
      clientId: idp.clientId,
      redirectUri,
      username,
      jar,
    });
  const exchange = (code: string, verifier: string, redirectUri = REDIRECT) =>
    tokenRequest(idp.endpoints.token, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: idp.clientId,
      code_verifier: verifier,
    });
  const refresh = (refreshToken: string) =>
    tokenRequest(idp.endpoints.token, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: idp.clientId,
    });
  const authorizer = () => ({ issuer: idp.issuer, audience: [idp.clientId], keys: idp.identity.keys });
  const authorizeUrl = (params: Record<string, string>) => {
    const url = new URL(idp.endpoints.authorization);
    url.search = new URLSearchParams(params).toString();
    return url.href;
  };

  describe('discovery', () => {
    it('lists the endpoints, S256 as the only PKCE method, and the code flow', async () => {
      const response = await fetch(idp.endpoints.discovery);
      const doc = (await response.json()) as Record<string, unknown>;

      expect(response.status).to.equal(200);
      expect(doc).to.deep.include({
        issuer: idp.issuer,
        authorization_endpoint: `${idp.issuer}/oauth2/authorize`,
        token_endpoint: `${idp.issuer}/oauth2/token`,
        userinfo_endpoint: `${idp.issuer}/oauth2/userInfo`,
        end_session_endpoint: `${idp.issuer}/logout`,
        jwks_uri: `${idp.issuer}/.well-known/jwks.json`,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
      });
      expect(doc.grant_types_supported).to.include.members(['authorization_code', 'refresh_token']);
    });

    it('publishes the public signing key only', async () => {
      const jwks = (await (await fetch(idp.endpoints.jwks)).json()) as { keys: Record<string, unknown>[] };

      expect(jwks.keys).to.have.length(1);
      expect(jwks.keys[0]).to.include({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(jwks.keys[0]).not.to.have.any.keys('d', 'p', 'q');
    });
  });

  describe('the sign-in page', () => {
    const openPage = async () => {
      const jar = new CookieJar();
      const { challenge } = pkcePair();
      const page = await follow(
        jar,
        authorizeUrl({
          client_id: idp.clientId,
          redirect_uri: REDIRECT,
          response_type: 'code',
          scope: 'openid email profile',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
        idp.issuer,
      );
      return { jar, page, html: await page.response.text() };
    };

    it('is a heading, a labelled "User name" field and a "Sign in" button, with no inline script', async () => {
      const { page, html } = await openPage();

      expect(page.response.status).to.equal(200);
      expect(html).to.match(/<h1>Sign in to 24-Hour Video<\/h1>/);
      expect(html).to.match(/<label for="username">User name<\/label>/);
      expect(html).to.match(/<input id="username" name="username"/);
      expect(html).to.match(/<button type="submit">Sign in<\/button>/);
      expect(html).to.include('@localhost');
      expect(html).not.to.match(/<script(?![^>]*\bsrc=)/);
      expect(page.response.headers.get('content-security-policy')).to.match(/script-src 'self'/);
    });

    it('shows an error tied to the field for a user name it cannot use', async () => {
      const { jar, page, html } = await openPage();
      const action = /action="([^"]+)"/.exec(html)?.[1] ?? '';

      const response = await send(jar, new URL(action, page.url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=%3Cscript%3E',
      });
      const body = await response.text();

      expect(response.status).to.equal(400);
      expect(body).to.match(/aria-invalid="true"/);
      expect(body).to.match(/<p id="username-error" class="error" role="alert">A user name is/);
      expect(body).to.include('value="&lt;script&gt;"');
    });
  });

  describe('the code exchange', () => {
    it('returns Cognito-shaped access and ID tokens that the API authorizer accepts', async () => {
      const { code, verifier } = await signInAs('Alice');

      const { status, body } = await exchange(code, verifier);

      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ token_type: 'Bearer', scope: 'openid email profile', expires_in: 300 });
      const access = decodeJwt(String(body.access_token));
      expect(decodeProtectedHeader(String(body.access_token)).alg).to.equal('RS256');
      expect(access).to.include({
        iss: idp.issuer,
        client_id: idp.clientId,
        token_use: 'access',
        scope: 'openid email profile',
        username: 'alice',
      });
      expect(access).to.include.keys('sub', 'iat', 'exp', 'jti', 'auth_time');
      expect((access.exp ?? 0) - (access.iat ?? 0)).to.equal(300);
      const id = decodeJwt(String(body.id_token));
      expect(id).to.include({
        iss: idp.issuer,
        aud: idp.clientId,
        sub: access.sub,
        token_use: 'id',
        email: 'alice@localhost',
        'cognito:username': 'alice',
      });
      expect(id).to.include.keys('auth_time');
      expect(body.refresh_token).to.be.a('string');
      const verdict = await authorizeRequest({ authorization: `Bearer ${body.access_token}` }, authorizer());
      expect(verdict).to.deep.include({ authorized: true, scopes: ['openid', 'email', 'profile'] });
    });

    it('refuses a wrong PKCE verifier (invalid_grant)', async () => {
      const { code } = await signInAs('bob');

      const { status, body } = await exchange(code, pkcePair().verifier);

      expect(status).to.equal(400);
      expect(body.error).to.equal('invalid_grant');
    });

    it('refuses a reused code and revokes the tokens issued from it', async () => {
      const { code, verifier } = await signInAs('carol');
      const first = await exchange(code, verifier);
      expect(first.status).to.equal(200);

      const second = await exchange(code, verifier);

      expect(second.status).to.equal(400);
      expect(second.body).to.include({
        error: 'invalid_grant',
        error_description: 'grant request is invalid',
      });
      const renewed = await refresh(String(first.body.refresh_token));
      expect(renewed.status).to.equal(400);
      expect(renewed.body.error).to.equal('invalid_grant');
    });

    it('refuses an expired code (invalid_grant)', async () => {
      const { code, verifier } = await signInAs('dave');
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'], shouldAdvanceTime: true });
      try {
        clock.tick((CODE_TTL + 1) * 1000);

        const { status, body } = await exchange(code, verifier);

        expect(status).to.equal(400);
        expect(body.error).to.equal('invalid_grant');
      } finally {
        clock.restore();
      }
    });

    it('refuses a redirect URI other than the one the code was issued for (invalid_grant)', async () => {
      const { code, verifier } = await signInAs('erin');

      const { status, body } = await exchange(code, verifier, 'http://127.0.0.1:5173/callback');

      expect(status).to.equal(400);
      expect(body.error).to.equal('invalid_grant');
    });
  });

  describe('the authorize endpoint', () => {
    it('refuses an unregistered redirect URI without redirecting to it (invalid_redirect_uri)', async () => {
      const { challenge } = pkcePair();

      const response = await send(
        new CookieJar(),
        authorizeUrl({
          client_id: idp.clientId,
          redirect_uri: 'http://127.0.0.1:9999/callback',
          response_type: 'code',
          scope: 'openid',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );

      expect(response.status).to.equal(400);
      expect(response.headers.get('location')).to.equal(null);
      expect(await response.text()).to.include('invalid_redirect_uri');
    });

    it('sends a request without a PKCE challenge back with invalid_request', async () => {
      const response = await send(
        new CookieJar(),
        authorizeUrl({
          client_id: idp.clientId,
          redirect_uri: REDIRECT,
          response_type: 'code',
          scope: 'openid',
        }),
      );

      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT);
      expect(location.searchParams.get('error')).to.equal('invalid_request');
      expect(location.searchParams.get('error_description')).to.match(/PKCE/);
    });
  });

  describe('refresh', () => {
    it('issues new tokens for a refresh token, rotating it', async () => {
      const { code, verifier } = await signInAs('frank');
      const first = await exchange(code, verifier);

      const renewed = await refresh(String(first.body.refresh_token));

      expect(renewed.status, JSON.stringify(renewed.body)).to.equal(200);
      expect(renewed.body.access_token).not.to.equal(first.body.access_token);
      expect(renewed.body.refresh_token).to.be.a('string').and.not.equal(first.body.refresh_token);
      expect(decodeJwt(String(renewed.body.access_token))).to.include({
        username: 'frank',
        token_use: 'access',
      });
      expect(decodeJwt(String(renewed.body.id_token))).to.include({ email: 'frank@localhost' });
      const verdict = await authorizeRequest(
        { authorization: `Bearer ${renewed.body.access_token}` },
        authorizer(),
      );
      expect(verdict.authorized).to.equal(true);
    });
  });

  describe('userinfo', () => {
    it("returns the signed-in user's attributes for an access token, 401 without one", async () => {
      const { code, verifier } = await signInAs('grace');
      const { body } = await exchange(code, verifier);

      const response = await fetch(idp.endpoints.userinfo, {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      const anonymous = await fetch(idp.endpoints.userinfo);

      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({
        sub: decodeJwt(String(body.access_token)).sub,
        username: 'grace',
        email: 'grace@localhost',
        email_verified: 'true',
      });
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.match(/^Bearer error="invalid_token"/);
    });

    it('refuses an ID token', async () => {
      const { code, verifier } = await signInAs('heidi');
      const { body } = await exchange(code, verifier);

      const response = await fetch(idp.endpoints.userinfo, {
        headers: { authorization: `Bearer ${body.id_token}` },
      });

      expect(response.status).to.equal(401);
    });
  });

  describe('logout', () => {
    /** Opens the logout URL with the session's cookies and submits its sign-out form as the page's script does. */
    const logOut = async (jar: CookieJar, query: Record<string, string>) => {
      const url = new URL(idp.endpoints.end_session);
      url.search = new URLSearchParams(query).toString();
      const page = await send(jar, url.href);
      const html = await page.text();
      expect(page.status, html).to.equal(200);
      const action = /action="([^"]+)"/.exec(html)?.[1] ?? '';
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      return send(jar, new URL(action, url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
      });
    };

    it('ends the session and redirects to a registered post-logout URI with the state', async () => {
      const jar = new CookieJar();
      const { code, verifier } = await signInAs('ivan', jar);
      const { body } = await exchange(code, verifier);

      const done = await logOut(jar, {
        id_token_hint: String(body.id_token),
        post_logout_redirect_uri: `${APP}/`,
        state: 'bye',
      });

      expect(done.status).to.equal(303);
      expect(done.headers.get('location')).to.equal(`${APP}/?state=bye`);
      expect((await refresh(String(body.refresh_token))).body.error).to.equal('invalid_grant');
      const again = await follow(
        jar,
        authorizeUrl({
          client_id: idp.clientId,
          redirect_uri: REDIRECT,
          response_type: 'code',
          scope: 'openid',
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
        idp.issuer,
      );
      expect(await again.response.text(), 'signed out: the sign-in page again').to.include('User name');
    });

    it("accepts Cognito's /logout?client_id=…&logout_uri=… form", async () => {
      const jar = new CookieJar();
      await signInAs('judy', jar);

      const done = await logOut(jar, { client_id: idp.clientId, logout_uri: 'http://127.0.0.1:5173/' });

      expect(done.status).to.equal(303);
      expect(done.headers.get('location')).to.equal('http://127.0.0.1:5173/');
    });

    it('refuses an unregistered post-logout URI', async () => {
      const url = new URL(idp.endpoints.end_session);
      url.search = new URLSearchParams({
        client_id: idp.clientId,
        post_logout_redirect_uri: 'https://evil.example.test/',
      }).toString();

      const response = await send(new CookieJar(), url.href);

      expect(response.status).to.equal(400);
      expect(response.headers.get('location')).to.equal(null);
      expect(await response.text()).to.include('post_logout_redirect_uri not registered');
    });
  });

  describe('CORS', () => {
    it("lets the app's registered origins call the token endpoint, and no other", async () => {
      const preflight = (origin: string) =>
        fetch(idp.endpoints.token, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });

      expect((await preflight(APP)).headers.get('access-control-allow-origin')).to.equal(APP);
      const { code, verifier } = await signInAs('kim');
      const foreign = await tokenRequest(
        idp.endpoints.token,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          client_id: idp.clientId,
          code_verifier: verifier,
        },
        { origin: 'https://evil.example.test' },
      );
      expect(foreign.status).to.equal(400);
      expect(foreign.body.error).to.equal('invalid_request');
    });
  });

  describe('users', () => {
    it('gives a user name the same sub in every provider instance: dev is DEV_USER', async () => {
      const other = await startCognito({ client });
      try {
        const inOther = await signIn({
          issuer: other.issuer,
          authorizationEndpoint: other.endpoints.authorization,
          clientId: other.clientId,
          redirectUri: REDIRECT,
          username: 'dev',
        });
        const here = await signInAs('DEV');

        const subOther = decodeJwt(
          String(
            (
              await tokenRequest(other.endpoints.token, {
                grant_type: 'authorization_code',
                code: inOther.code,
                redirect_uri: REDIRECT,
                client_id: other.clientId,
                code_verifier: inOther.verifier,
              })
            ).body.access_token,
          ),
        ).sub;
        const subHere = decodeJwt(String((await exchange(here.code, here.verifier)).body.access_token)).sub;

        expect(subOther).to.equal(DEV_USER.sub);
        expect(subHere).to.equal(DEV_USER.sub);
      } finally {
        await other.stop();
      }
    });
  });

  describe('start', () => {
    it('prints no warning or notice, and its tokens from issueToken pass the authorizer', async () => {
      const warn = sinon.spy(console, 'warn');
      const info = sinon.spy(console, 'info');
      let other: LocalCognito | undefined;
      try {
        other = await startCognito({ client, lifetimes: { accessTokenSeconds: 60 } });
        await signIn({
          issuer: other.issuer,
          authorizationEndpoint: other.endpoints.authorization,
          clientId: other.clientId,
          redirectUri: REDIRECT,
          username: 'quiet',
        });
      } finally {
        warn.restore();
        info.restore();
      }
      try {
        expect(warn.callCount, String(warn.firstCall?.args[0])).to.equal(0);
        expect(info.callCount, String(info.firstCall?.args[0])).to.equal(0);
        const token = await other.identity.issueToken(DEV_USER);
        const verdict = await authorizeRequest(
          { authorization: `Bearer ${token}` },
          { issuer: other.issuer, audience: [other.clientId], keys: other.identity.keys },
        );
        expect(verdict.authorized).to.equal(true);
        expect(other.client.lifetimes.accessTokenSeconds).to.equal(60);
      } finally {
        await other?.stop();
      }
    });
  });
});
