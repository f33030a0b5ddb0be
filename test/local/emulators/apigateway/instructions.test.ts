import { expect } from 'chai';
import { authorizeRequest, type LocalCloudApi, localApiInstructions } from '#local/emulators/apigateway';
import { createLocalIdentityProvider, DEV_USER } from '#local/emulators/cognito';

describe('local/emulators/apigateway instructions', () => {
  describe('localApiInstructions', () => {
    it('prints the API URL and a token for the development user that the authorizer accepts', async () => {
      const identity = await createLocalIdentityProvider();
      const api: LocalCloudApi = {
        endpoint: 'http://127.0.0.1:4321',
        port: 4321,
        allowedOrigins: ['http://localhost:5173'],
        identity,
        whenIdle: async () => undefined,
        stop: async () => undefined,
      };

      const text = await localApiInstructions(api);

      expect(text).to.include('export API=http://127.0.0.1:4321');
      const token = /export TOKEN=(\S+)/.exec(text)?.[1] ?? '';
      const verdict = await authorizeRequest(
        { authorization: `Bearer ${token}` },
        { issuer: identity.issuer, audience: [identity.audience], keys: identity.keys },
      );
      expect(verdict).to.deep.include({ authorized: true });
      if (verdict.authorized) expect(verdict.claims.sub).to.equal(DEV_USER.sub);
      expect(text).to.match(/curl -s -H "Authorization: Bearer \$TOKEN" "\$API\/videos\?mine=true"/);
    });
  });
});
