import { expect } from 'chai';
import { NetworkError } from '#web/api/errors.ts';
import { ConfigError, loadConfig, parseConfig } from '#web/app/config.ts';
import { caught } from '../../support/errors.ts';
import { fakeFetch, json } from '../../support/fake-fetch.ts';

const VALID = {
  apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/',
  auth: {
    authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf',
    clientId: '1h2g3f4e5d6c',
    redirectUri: 'https://d123.cloudfront.net/callback',
    postLogoutRedirectUri: 'https://d123.cloudfront.net/',
    scope: 'openid email profile',
    endSessionEndpoint: 'https://24hv-dev-auth.auth.us-east-1.amazoncognito.com/logout',
  },
};

const clone = () => structuredClone(VALID) as Record<string, unknown> & { auth: Record<string, unknown> };

describe('web config', () => {
  describe('parseConfig', () => {
    it("reads the deployed config, the API URL's trailing slash dropped", () => {
      // Act
      const config = parseConfig(clone());

      // Assert
      expect(config).to.deep.equal({ ...VALID, apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com' });
    });

    it('accepts a config without endSessionEndpoint (a provider that announces its own) and an upload limit', () => {
      // Arrange
      const value = clone();
      delete value.auth.endSessionEndpoint;
      value.maxUploadBytes = 2147483648;

      // Act
      const config = parseConfig(value);

      // Assert
      expect(config.auth).to.not.have.property('endSessionEndpoint');
      expect(config.maxUploadBytes).to.equal(2147483648);
    });

    it('names every missing or wrong key at once', () => {
      // Arrange
      const value = clone();
      value.apiUrl = 'ftp://nope';
      delete value.auth.clientId;
      value.auth.redirectUri = 42;
      value.auth.scope = 'email profile';

      // Act
      const error = (() => {
        try {
          parseConfig(value);
        } catch (caughtError) {
          return caughtError;
        }
        return undefined;
      })();

      // Assert
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).message).to.equal('/config.json has 4 keys that are missing or wrong.');
      expect((error as ConfigError).problems).to.deep.equal([
        '"apiUrl" is "ftp://nope", not an http(s) URL.',
        '"auth.clientId" is missing: the app’s client id at the identity provider.',
        '"auth.redirectUri" is number 42, not an http(s) URL.',
        '"auth.scope" is "email profile"; it must include "openid".',
      ]);
    });

    it('says what "auth" should hold when it is missing', () => {
      // Act
      const act = () => parseConfig({ apiUrl: VALID.apiUrl });

      // Assert
      expect(act)
        .to.throw(ConfigError)
        .with.property('problems')
        .that.deep.equals([
          '"auth" is missing: the sign-in settings (authority, clientId, redirectUri, postLogoutRedirectUri, scope).',
        ]);
    });

    it('refuses a config that is not an object, and a bad optional key', () => {
      expect(() => parseConfig(['x'])).to.throw(
        ConfigError,
        '/config.json must be a JSON object with "apiUrl" and "auth".',
      );
      const value = clone();
      value.auth.endSessionEndpoint = 'logout';
      value.maxUploadBytes = -1;
      expect(() => parseConfig(value))
        .to.throw(ConfigError)
        .with.property('problems')
        .that.deep.equals([
          '"auth.endSessionEndpoint" is "logout", not an http(s) URL.',
          '"maxUploadBytes" is number -1, not a positive whole number of bytes.',
        ]);
    });
  });

  describe('loadConfig', () => {
    it('fetches /config.json past every cache and checks it', async () => {
      // Arrange
      const fake = fakeFetch(json(200, VALID));

      // Act
      const config = await loadConfig(fake.fetch);

      // Assert
      expect(fake.calls[0]?.url).to.equal('/config.json');
      expect(config.auth.clientId).to.equal('1h2g3f4e5d6c');
    });

    it('says the file is missing on a 404', async () => {
      // Arrange
      const fake = fakeFetch(new Response('Not Found', { status: 404 }));

      // Act
      const error = await caught(loadConfig(fake.fetch));

      // Assert
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.match(/^\/config\.json was not found \(HTTP 404\)\./);
    });

    it('says when the server answered the app page instead (a SPA fallback)', async () => {
      // Arrange
      const fake = fakeFetch(new Response('<!doctype html><html></html>', { status: 200 }));

      // Act
      const error = await caught(loadConfig(fake.fetch));

      // Assert
      expect((error as Error).message).to.equal(
        '/config.json is an HTML page, not JSON: the server most likely answered with index.html because the file is missing.',
      );
    });

    it('says the JSON is broken, with the parser’s reason', async () => {
      // Arrange
      const fake = fakeFetch(new Response('{"apiUrl": "x",', { status: 200 }));

      // Act
      const error = await caught(loadConfig(fake.fetch));

      // Assert
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.match(/^\/config\.json is not valid JSON \(.+\)\.$/);
    });

    it('reports another failing status plainly', async () => {
      // Arrange
      const fake = fakeFetch(new Response('oops', { status: 503 }));

      // Act
      const error = await caught(loadConfig(fake.fetch));

      // Assert
      expect((error as Error).message).to.equal(
        '/config.json could not be loaded: the server answered HTTP 503.',
      );
    });

    it('turns no answer at all into a NetworkError the page offers to retry', async () => {
      // Arrange
      const fake = fakeFetch(new TypeError('Failed to fetch'));

      // Act
      const error = await caught(loadConfig(fake.fetch));

      // Assert
      expect(error).to.be.instanceOf(NetworkError);
      expect((error as Error).message).to.equal(
        'Could not load /config.json: the server did not answer. Check your connection and retry.',
      );
    });
  });
});
