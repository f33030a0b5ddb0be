import { expect } from 'chai';
import {
  assertAuthorizerAudience,
  CognitoStackError,
  cognitoClientFromStack,
} from '#local/emulators/cognito';
import { authStack, authStackJson } from '#test/support/auth-stack.ts';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const webClient = (json: Record<string, unknown>) =>
  (json.resource as Resources).aws_cognito_user_pool_client?.web as Record<string, unknown>;

describe('local/emulators/cognito client', () => {
  describe('cognitoClientFromStack', () => {
    it("reads the app client's resolved id, redirect and logout URLs, scopes and lifetimes", () => {
      const client = cognitoClientFromStack(authStack());

      expect(client.clientId).to.match(/^[a-z0-9]{26}$/);
      expect(client).to.deep.include({
        redirectUris: ['http://127.0.0.1:4173/callback', 'http://127.0.0.1:5173/callback'],
        postLogoutRedirectUris: ['http://127.0.0.1:4173/', 'http://127.0.0.1:5173/'],
        scopes: ['openid', 'email', 'profile'],
        lifetimes: { accessTokenSeconds: 300, idTokenSeconds: 300, refreshTokenSeconds: 86_400 },
      });
    });

    it('gives the same client id to every load of the same stack', () => {
      expect(cognitoClientFromStack(authStack()).clientId).to.equal(
        cognitoClientFromStack(authStack()).clientId,
      );
    });

    it("uses Cognito's defaults where validity or units are unset (hours for access and ID, days for refresh)", () => {
      const json = authStackJson();
      const client = webClient(json);
      delete client.token_validity_units;
      delete client.id_token_validity;
      delete client.refresh_token_validity;
      client.access_token_validity = 2;

      expect(cognitoClientFromStack(authStack(json)).lifetimes).to.deep.equal({
        accessTokenSeconds: 7200,
        idTokenSeconds: 3600,
        refreshTokenSeconds: 30 * 86_400,
      });
    });

    it('refuses a stack without an app client', () => {
      expect(() => cognitoClientFromStack(authStack({ resource: {} }))).to.throw(
        CognitoStackError,
        /no aws_cognito_user_pool_client/,
      );
    });

    it('refuses a client with a secret, which a browser app cannot keep', () => {
      const json = authStackJson();
      webClient(json).generate_secret = true;

      expect(() => cognitoClientFromStack(authStack(json))).to.throw(CognitoStackError, /public client/);
    });
  });

  describe('assertAuthorizerAudience', () => {
    it("accepts the stack whose JWT authorizer names the client and refuses another client's id", () => {
      const stack = authStack();
      const { clientId } = cognitoClientFromStack(stack);

      expect(() => assertAuthorizerAudience(stack, clientId)).not.to.throw();
      expect(() => assertAuthorizerAudience(stack, 'another-client')).to.throw(CognitoStackError, /audience/);
    });
  });
});
