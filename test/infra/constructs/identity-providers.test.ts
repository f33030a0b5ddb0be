import { expect } from 'chai';
import { runChecks, type TerraformJson } from '#infra/aspects/checks.ts';
import { type IdentityProviderConfig, InfraConfigError, type StageConfig } from '#infra/config.ts';
import {
  createFixture,
  type Fixture,
  refTo,
  resourcesOf,
  single,
  synthStage,
  type Tf,
  tfExpr,
} from '#test/support/infra.ts';

const PROVIDERS: readonly IdentityProviderConfig[] = [
  {
    type: 'Google',
    clientId: '1234-abc.apps.googleusercontent.com',
    clientSecret: { variable: 'google_client_secret' },
  },
  {
    type: 'SignInWithApple',
    clientId: 'com.example.video.web',
    teamId: 'A1B2C3D4E5',
    keyId: 'K1L2M3N4O5',
    privateKey: { ssmParameter: '/24hv/dev/apple-private-key' },
  },
  {
    type: 'Facebook',
    clientId: '987654321',
    clientSecret: { ssmParameter: '/24hv/dev/facebook-app-secret' },
    apiVersion: 'v21.0',
  },
  {
    type: 'OIDC',
    name: 'Okta',
    clientId: '0oa1b2c3',
    issuer: 'https://example.okta.com',
    clientSecret: { variable: 'okta_client_secret' },
    attributeMapping: { name: 'name' },
  },
];

const withProviders =
  (providers: readonly IdentityProviderConfig[]) =>
  (config: StageConfig): StageConfig => ({ ...config, identityProviders: providers });
const provider = (tf: Tf, name: string) =>
  single(tf, 'aws_cognito_identity_provider', (p) => p.provider_name === name);

describe('infra IdentityProviders', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture();
  });
  after(() => fixture.cleanup());

  describe('none configured (the default)', () => {
    let tf: Tf;
    before(() => {
      tf = synthStage(fixture, 'dev').tf;
    });

    it('creates no provider, variable or parameter lookup; the client offers Cognito sign-in only', () => {
      expect(resourcesOf(tf, 'aws_cognito_identity_provider')).to.deep.equal({});
      expect(tf).not.to.have.property('variable');
      expect(tf.data).not.to.have.property('aws_ssm_parameter');
      const client = single(tf, 'aws_cognito_user_pool_client');
      expect(client.supported_identity_providers).to.deep.equal(['COGNITO']);
      expect(client).not.to.have.property('depends_on');
    });

    it('outputs the redirect URI to register at a provider', () => {
      expect(tf.output.cognito_idp_redirect_uri.value).to.equal(
        `https://${refTo(tf, 'aws_cognito_user_pool_domain', () => true, 'domain')}.auth.us-east-1.amazoncognito.com/oauth2/idpresponse`,
      );
    });
  });

  describe('Google, Apple, Facebook and an OIDC provider configured', () => {
    let tf: Tf;
    before(() => {
      tf = synthStage(fixture, 'dev', {}, { configure: withProviders(PROVIDERS) }).tf;
    });

    it('creates one provider each in the user pool, named as Cognito requires', () => {
      const pool = refTo(tf, 'aws_cognito_user_pool', () => true, 'id');
      const all = Object.values(resourcesOf(tf, 'aws_cognito_identity_provider'));
      expect(all.map((p) => [p.provider_name, p.provider_type]).sort()).to.deep.equal([
        ['Facebook', 'Facebook'],
        ['Google', 'Google'],
        ['Okta', 'OIDC'],
        ['SignInWithApple', 'SignInWithApple'],
      ]);
      for (const p of all) expect(p.user_pool_id).to.equal(pool);
    });

    it('maps the e-mail address (and the stable username) from every provider', () => {
      expect(provider(tf, 'Google').attribute_mapping).to.deep.equal({
        email: 'email',
        email_verified: 'email_verified',
        username: 'sub',
      });
      expect(provider(tf, 'Facebook').attribute_mapping).to.deep.equal({ email: 'email', username: 'id' });
      expect(provider(tf, 'SignInWithApple').attribute_mapping).to.include({
        email: 'email',
        username: 'sub',
      });
      expect(provider(tf, 'Okta').attribute_mapping).to.deep.equal({
        email: 'email',
        email_verified: 'email_verified',
        username: 'sub',
        name: 'name',
      });
    });

    it('takes each secret from a sensitive variable or a decrypted SSM parameter, never a literal', () => {
      expect(tf.variable).to.deep.equal({
        google_client_secret: {
          type: 'string',
          sensitive: true,
          nullable: false,
          description: 'The client secret of the Google identity provider (set TF_VAR_google_client_secret).',
        },
        okta_client_secret: {
          type: 'string',
          sensitive: true,
          nullable: false,
          description: 'The client secret of the Okta identity provider (set TF_VAR_okta_client_secret).',
        },
      });
      const ssm = Object.entries(resourcesOf({ resource: tf.data }, 'aws_ssm_parameter'));
      expect(ssm.map(([, p]) => p).sort((x, y) => x.name.localeCompare(y.name))).to.deep.equal([
        { name: '/24hv/dev/apple-private-key', with_decryption: true },
        { name: '/24hv/dev/facebook-app-secret', with_decryption: true },
      ]);
      const ssmValue = (name: string) =>
        `\${data.aws_ssm_parameter.${ssm.find(([, p]) => p.name === name)?.[0]}.value}`;

      expect(provider(tf, 'Google').provider_details.client_secret).to.equal(
        tfExpr('var.google_client_secret'),
      );
      expect(provider(tf, 'Okta').provider_details.client_secret).to.equal(tfExpr('var.okta_client_secret'));
      expect(provider(tf, 'SignInWithApple').provider_details.private_key).to.equal(
        ssmValue('/24hv/dev/apple-private-key'),
      );
      expect(provider(tf, 'Facebook').provider_details.client_secret).to.equal(
        ssmValue('/24hv/dev/facebook-app-secret'),
      );
    });

    it("passes each provider's client id, scopes (e-mail included) and specifics", () => {
      expect(provider(tf, 'Google').provider_details).to.deep.include({
        client_id: '1234-abc.apps.googleusercontent.com',
        authorize_scopes: 'openid email profile',
      });
      expect(provider(tf, 'Facebook').provider_details).to.deep.include({
        client_id: '987654321',
        authorize_scopes: 'public_profile,email',
        api_version: 'v21.0',
      });
      expect(provider(tf, 'SignInWithApple').provider_details).to.deep.include({
        client_id: 'com.example.video.web',
        team_id: 'A1B2C3D4E5',
        key_id: 'K1L2M3N4O5',
        authorize_scopes: 'email name',
      });
      expect(provider(tf, 'Okta').provider_details).to.deep.include({
        client_id: '0oa1b2c3',
        oidc_issuer: 'https://example.okta.com',
        attributes_request_method: 'GET',
        authorize_scopes: 'openid email profile',
      });
    });

    it('ignores only the details Cognito fills in itself, so a rotated secret still applies', () => {
      for (const p of Object.values(resourcesOf(tf, 'aws_cognito_identity_provider'))) {
        const ignored = p.lifecycle.ignore_changes as string[];
        expect(ignored, p.provider_name).to.include('provider_details["authorize_url"]');
        expect(ignored.join(), p.provider_name).not.to.match(/client_secret|private_key|client_id/);
      }
      expect(provider(tf, 'Okta').lifecycle.ignore_changes).not.to.include('provider_details["oidc_issuer"]');
    });

    it('offers them on the app client after Cognito, which depends on them', () => {
      const client = single(tf, 'aws_cognito_user_pool_client');
      expect(client.supported_identity_providers).to.deep.equal([
        'COGNITO',
        'Google',
        'SignInWithApple',
        'Facebook',
        'Okta',
      ]);
      expect(client.depends_on).to.have.length(4);
      for (const dependency of client.depends_on)
        expect(dependency).to.match(/^aws_cognito_identity_provider\./);
    });

    it('passes every policy check', () => {
      expect(runChecks(tf as TerraformJson)).to.deep.equal([]);
    });
  });

  describe('a configuration error', () => {
    const rejected = (providers: readonly IdentityProviderConfig[]) => () =>
      synthStage(fixture, 'dev', {}, { configure: withProviders(providers) });
    const google = PROVIDERS[0] as IdentityProviderConfig;

    it('names an OIDC provider that takes a reserved name', () => {
      expect(
        rejected([
          {
            type: 'OIDC',
            name: 'Google',
            clientId: 'x',
            issuer: 'https://a.example',
            clientSecret: { variable: 'a' },
          },
        ]),
      ).to.throw(InfraConfigError, /"Google".*other than cognito, google/);
    });

    it('refuses an OIDC issuer that is not https', () => {
      expect(
        rejected([
          {
            type: 'OIDC',
            name: 'Corp',
            clientId: 'x',
            issuer: 'http://a.example',
            clientSecret: { variable: 'a' },
          },
        ]),
      ).to.throw(InfraConfigError, /issuer "http:\/\/a.example" is not an https URL/);
    });

    it('refuses the same provider twice, or one variable for two secrets', () => {
      expect(rejected([google, google])).to.throw(InfraConfigError, /"Google" is configured twice/);
      expect(
        rejected([
          google,
          {
            type: 'OIDC',
            name: 'Corp',
            clientId: 'x',
            issuer: 'https://a.example',
            clientSecret: { variable: 'google_client_secret' },
          },
        ]),
      ).to.throw(InfraConfigError, /already another provider's secret/);
    });

    it('refuses a variable name Terraform would not accept', () => {
      expect(
        rejected([{ ...google, clientSecret: { variable: 'google-secret!' } } as IdentityProviderConfig]),
      ).to.throw(InfraConfigError, /"google-secret!" is not a Terraform variable name/);
    });
  });
});
