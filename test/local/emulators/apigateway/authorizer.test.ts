import { expect } from 'chai';
import { SignJWT } from 'jose';
import { authorizeRequest, type JwtAuthorizerConfig } from '#local/emulators/apigateway';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '#local/emulators/cognito';

describe('local/emulators/apigateway authorizer', () => {
  let idp: LocalIdentityProvider;
  let other: LocalIdentityProvider;
  let config: JwtAuthorizerConfig;

  before(async () => {
    idp = await createLocalIdentityProvider();
    other = await createLocalIdentityProvider();
  });
  beforeEach(() => {
    config = { issuer: idp.issuer, audience: [idp.audience], keys: idp.keys };
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('accepted tokens', () => {
    it('accepts an access token of the client and forwards its claims as strings', async () => {
      const token = await idp.issueToken({ sub: 'user-1', username: 'one' });

      const verdict = await authorizeRequest(bearer(token), config);

      expect(verdict.authorized).to.equal(true);
      if (!verdict.authorized) return;
      expect(verdict.claims).to.include({
        sub: 'user-1',
        client_id: idp.audience,
        token_use: 'access',
        iss: idp.issuer,
      });
      expect(verdict.claims.exp).to.match(/^\d+$/);
      expect(verdict.scopes).to.deep.equal(['openid', 'email', 'profile']);
    });

    it('accepts an ID token by its aud, and a token without the Bearer prefix', async () => {
      const token = await idp.issueToken({ sub: 'user-2', email: 'u2@example.test' }, { tokenUse: 'id' });

      const verdict = await authorizeRequest({ authorization: token }, config);

      expect(verdict).to.deep.include({ authorized: true, scopes: null });
    });
  });

  describe('refused tokens', () => {
    const refused = async (headers: Record<string, string>, reason: RegExp) => {
      const verdict = await authorizeRequest(headers, config);
      expect(verdict.authorized).to.equal(false);
      if (verdict.authorized) return;
      expect(verdict.reason).to.match(reason);
    };

    it('refuses a request without a token', async () => {
      await refused({}, /no token/);
    });

    it('refuses an expired token', async () => {
      await refused(bearer(await idp.issueToken(undefined, { expiresInSeconds: -60 })), /expired/);
    });

    it('refuses a token signed by another key', async () => {
      await refused(bearer(await other.issueToken()), /no key|signature/);
    });

    it('refuses a token whose signature was tampered with', async () => {
      const [header, payload, signature = ''] = (await idp.issueToken()).split('.');
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

      await refused(bearer(`${header}.${payload}.${flipped}`), /signature/);
    });

    it('refuses a token of another issuer', async () => {
      await refused(bearer(await idp.issueToken(undefined, { issuer: 'https://evil.example.test' })), /iss/);
    });

    it('refuses a token for another client', async () => {
      await refused(bearer(await idp.issueToken(undefined, { audience: 'another-client' })), /audience/);
    });

    it('refuses an unsigned token (alg none)', async () => {
      const payload = Buffer.from(
        JSON.stringify({ sub: 'x', iss: idp.issuer, client_id: idp.audience, exp: 9e9, iat: 1 }),
      ).toString('base64url');
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');

      await refused(bearer(`${header}.${payload}.`), /malformed|RS256|no key/);
    });

    it('refuses an HS256 token even with a matching kid', async () => {
      const kid = idp.jwks.keys[0]?.kid ?? '';
      const token = await new SignJWT({ client_id: idp.audience })
        .setProtectedHeader({ alg: 'HS256', kid })
        .setIssuer(idp.issuer)
        .setSubject('x')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!!'));

      await refused(bearer(token), /RS256|no key|malformed/);
    });

    it('refuses garbage', async () => {
      await refused(bearer('not.a.jwt'), /malformed|could not/);
    });
  });
});
