import { CognitoIdentityProvider } from '@cdktf/provider-aws/lib/cognito-identity-provider';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { type IdentityProviderConfig, InfraConfigError, type SecretSource } from '../config.ts';

/** Props of {@link IdentityProviders}. */
export interface IdentityProvidersProps {
  readonly providers: readonly IdentityProviderConfig[];
  readonly userPoolId: string;
}

/**
 * User-pool attributes every provider maps, so a federated user has the e-mail address the app shows.
 * `username` is stated because Cognito adds it anyway, and an unstated one shows up as a change in
 * every plan.
 */
export const DEFAULT_ATTRIBUTE_MAPPING: Readonly<
  Record<IdentityProviderConfig['type'], Readonly<Record<string, string>>>
> = {
  Google: { email: 'email', email_verified: 'email_verified', username: 'sub' },
  // Facebook's Graph API has no e-mail verification claim.
  Facebook: { email: 'email', username: 'id' },
  SignInWithApple: { email: 'email', email_verified: 'email_verified', username: 'sub' },
  OIDC: { email: 'email', email_verified: 'email_verified', username: 'sub' },
};

/** Scopes asked of each type of provider when the config names none: the e-mail address at least. */
export const DEFAULT_SCOPES: Readonly<Record<IdentityProviderConfig['type'], readonly string[]>> = {
  Google: ['openid', 'email', 'profile'],
  Facebook: ['public_profile', 'email'],
  SignInWithApple: ['email', 'name'],
  OIDC: ['openid', 'email', 'profile'],
};

// Details Cognito fills in itself (from the provider type or OIDC discovery): without ignoring them,
// every plan would show them being removed. The secrets are not among them, so a rotation still applies.
const SOCIAL_DISCOVERED = [
  'authorize_url',
  'token_url',
  'attributes_url',
  'attributes_url_add_attributes',
  'token_request_method',
  'oidc_issuer',
];
const DISCOVERED_DETAILS: Readonly<Record<IdentityProviderConfig['type'], readonly string[]>> = {
  Google: SOCIAL_DISCOVERED,
  Facebook: SOCIAL_DISCOVERED,
  SignInWithApple: SOCIAL_DISCOVERED,
  // An OIDC provider's issuer is the config's own; the endpoints come from its discovery document.
  OIDC: ['authorize_url', 'token_url', 'attributes_url', 'attributes_url_add_attributes', 'jwks_uri'],
};

const RESERVED_NAMES = ['cognito', 'google', 'facebook', 'signinwithapple', 'loginwithamazon'];
const OIDC_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SSM_NAME = /^[A-Za-z0-9_.\-/]+$/;
const APPLE_ID = /^[A-Z0-9]{10}$/;

/** The provider's name: what `supported_identity_providers` and the hosted UI's `identity_provider=` use. */
export function providerName(provider: IdentityProviderConfig): string {
  return provider.type === 'OIDC' ? provider.name : provider.type;
}

function secretOf(provider: IdentityProviderConfig): SecretSource {
  return provider.type === 'SignInWithApple' ? provider.privateKey : provider.clientSecret;
}

function validate(providers: readonly IdentityProviderConfig[]): void {
  const names = new Set<string>();
  const variables = new Set<string>();
  for (const provider of providers) {
    const name = providerName(provider);
    const where = `Identity provider "${name}"`;
    if (provider.type === 'OIDC') {
      if (!OIDC_NAME.test(name) || RESERVED_NAMES.includes(name.toLowerCase())) {
        throw new InfraConfigError(
          `${where}: an OIDC provider needs a name of 1-32 letters, digits, '.', '_' or '-', other than ${RESERVED_NAMES.join(', ')}.`,
        );
      }
      if (!/^https:\/\/[^\s/]+/.test(provider.issuer)) {
        throw new InfraConfigError(`${where}: issuer "${provider.issuer}" is not an https URL.`);
      }
    }
    if (
      provider.type === 'SignInWithApple' &&
      !(APPLE_ID.test(provider.teamId) && APPLE_ID.test(provider.keyId))
    ) {
      throw new InfraConfigError(`${where}: teamId and keyId are Apple's 10-character ids.`);
    }
    if (names.has(name.toLowerCase())) throw new InfraConfigError(`${where} is configured twice.`);
    names.add(name.toLowerCase());
    if (!provider.clientId.trim()) throw new InfraConfigError(`${where} has no clientId.`);
    const secret = secretOf(provider);
    if ('variable' in secret) {
      if (!VARIABLE_NAME.test(secret.variable)) {
        throw new InfraConfigError(
          `${where}: "${secret.variable}" is not a Terraform variable name (letters, digits and '_', not starting with a digit).`,
        );
      }
      if (variables.has(secret.variable)) {
        throw new InfraConfigError(
          `${where}: variable "${secret.variable}" is already another provider's secret.`,
        );
      }
      variables.add(secret.variable);
    } else if (!SSM_NAME.test(secret.ssmParameter)) {
      throw new InfraConfigError(`${where}: "${secret.ssmParameter}" is not an SSM parameter name.`);
    }
  }
}

/**
 * External sign-in for the user pool: one `aws_cognito_identity_provider` per configured provider,
 * mapping the e-mail address at least. Secrets come from sensitive Terraform variables or SSM
 * SecureStrings at plan time, so the synthesized JSON holds only references to them.
 */
export class IdentityProviders extends Construct {
  /** Provider names, in config order, for the app client's `supported_identity_providers`. */
  readonly names: readonly string[];
  /** The provider resources: the app client depends on them (Cognito rejects unknown names). */
  readonly resources: readonly CognitoIdentityProvider[];

  constructor(scope: Construct, id: string, props: IdentityProvidersProps) {
    super(scope, id);
    validate(props.providers);
    this.names = props.providers.map(providerName);
    this.resources = props.providers.map((provider) => {
      const name = providerName(provider);
      return new CognitoIdentityProvider(this, name, {
        userPoolId: props.userPoolId,
        providerName: name,
        providerType: provider.type,
        providerDetails: this.details(provider),
        attributeMapping: { ...DEFAULT_ATTRIBUTE_MAPPING[provider.type], ...provider.attributeMapping },
        lifecycle: {
          ignoreChanges: DISCOVERED_DETAILS[provider.type].map((key) => `provider_details["${key}"]`),
        },
      });
    });
  }

  private details(provider: IdentityProviderConfig): Record<string, string> {
    const scopes = provider.scopes ?? DEFAULT_SCOPES[provider.type];
    const secret = this.secret(provider);
    switch (provider.type) {
      case 'Google':
        return { client_id: provider.clientId, client_secret: secret, authorize_scopes: scopes.join(' ') };
      case 'Facebook':
        return {
          client_id: provider.clientId,
          client_secret: secret,
          // Facebook's scopes are comma-separated.
          authorize_scopes: scopes.join(','),
          ...(provider.apiVersion ? { api_version: provider.apiVersion } : {}),
        };
      case 'SignInWithApple':
        return {
          client_id: provider.clientId,
          team_id: provider.teamId,
          key_id: provider.keyId,
          private_key: secret,
          authorize_scopes: scopes.join(' '),
        };
      case 'OIDC':
        return {
          client_id: provider.clientId,
          client_secret: secret,
          oidc_issuer: provider.issuer,
          attributes_request_method: 'GET',
          authorize_scopes: scopes.join(' '),
        };
    }
  }

  private secret(provider: IdentityProviderConfig): string {
    const name = providerName(provider);
    const source = secretOf(provider);
    const what = provider.type === 'SignInWithApple' ? 'private key' : 'client secret';
    if ('variable' in source) {
      const variable = new TerraformVariable(this, `var-${source.variable}`, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `The ${what} of the ${name} identity provider (set TF_VAR_${source.variable}).`,
      });
      // The name people set it by, not a generated logical id.
      variable.overrideLogicalId(source.variable);
      return variable.stringValue;
    }
    return new DataAwsSsmParameter(this, `ssm-${name}`, {
      name: source.ssmParameter,
      withDecryption: true,
    }).value;
  }
}
