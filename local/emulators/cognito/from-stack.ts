import type { SynthesizedStack } from '#local/synthesized-stack';
import type { JsonObject } from '#shared/json';

/** Lifetimes of the tokens the provider issues, in seconds. */
export interface TokenLifetimes {
  readonly accessTokenSeconds: number;
  readonly idTokenSeconds: number;
  readonly refreshTokenSeconds: number;
}

/** The one app client the local provider serves, as the stack's `aws_cognito_user_pool_client` declares it. */
export interface CognitoClientConfig {
  /** The resolved client id: the `client_id`/`aud` of its tokens and the API authorizer's audience. */
  readonly clientId: string;
  /** `callback_urls`: the only redirect URIs the authorize and token endpoints accept. */
  readonly redirectUris: readonly string[];
  /** `logout_urls`: where RP-initiated logout may send the browser back to. */
  readonly postLogoutRedirectUris: readonly string[];
  /** `allowed_oauth_scopes`. */
  readonly scopes: readonly string[];
  readonly lifetimes: TokenLifetimes;
}

/** The stack declares no usable Cognito app client for the local provider. */
export class CognitoStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CognitoStackError';
  }
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

// Cognito's defaults when the client leaves validity or units unset: 1 hour, 1 hour, 30 days.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html
const DEFAULTS = {
  access: { value: 1, unit: 'hours' },
  id: { value: 1, unit: 'hours' },
  refresh: { value: 30, unit: 'days' },
} as const;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Reads the web app client from the stack: its resolved id, callback and logout URLs, scopes and token
 * validity (`*_token_validity` in `token_validity_units`, Cognito's defaults where unset). The local
 * provider therefore accepts exactly the redirects and scopes the deployed pool would.
 */
export function cognitoClientFromStack(stack: SynthesizedStack): CognitoClientConfig {
  const clients = stack.resources('aws_cognito_user_pool_client');
  const client = clients[0];
  if (!client) {
    throw new CognitoStackError(
      'The stack has no aws_cognito_user_pool_client; the local OpenID provider serves the web app client it declares.',
    );
  }
  if (clients.length > 1) {
    throw new CognitoStackError(
      `The stack has ${clients.length} aws_cognito_user_pool_client resources (${clients.map((c) => c.address).join(', ')}); the local OpenID provider serves one.`,
    );
  }
  const config = stack.resolve(client.config);
  if (config.generate_secret === true) {
    throw new CognitoStackError(
      `${client.address} generates a secret; the web app is a public client (generate_secret = false) and the local provider serves only that.`,
    );
  }
  const redirectUris = strings(config.callback_urls);
  if (redirectUris.length === 0) {
    throw new CognitoStackError(`${client.address} has no callback_urls, so no one could sign in.`);
  }
  const units = ((Array.isArray(config.token_validity_units)
    ? config.token_validity_units[0]
    : config.token_validity_units) ?? {}) as JsonObject;
  const seconds = (kind: keyof typeof DEFAULTS): number => {
    const value = config[`${kind}_token_validity`];
    const unit = units[`${kind}_token`];
    const amount = typeof value === 'number' ? value : DEFAULTS[kind].value;
    const unitName = typeof unit === 'string' ? unit : DEFAULTS[kind].unit;
    const factor = UNIT_SECONDS[unitName];
    if (factor === undefined) {
      throw new CognitoStackError(
        `${client.address} has ${kind}_token validity in "${unitName}", not a Cognito unit.`,
      );
    }
    return amount * factor;
  };
  return {
    clientId: stack.resolveString(`\${${client.address}.id}`, `${client.address}.id`),
    redirectUris,
    postLogoutRedirectUris: strings(config.logout_urls),
    scopes: strings(config.allowed_oauth_scopes),
    lifetimes: {
      accessTokenSeconds: seconds('access'),
      idTokenSeconds: seconds('id'),
      refreshTokenSeconds: seconds('refresh'),
    },
  };
}

/**
 * Checks that the stack's JWT authorizers accept the client's tokens (their `audience` names its id),
 * so the local API trusts the local provider for the same reason the deployed API trusts the pool.
 */
export function assertAuthorizerAudience(stack: SynthesizedStack, clientId: string): void {
  for (const authorizer of stack.resources('aws_apigatewayv2_authorizer')) {
    const config = stack.resolve(authorizer.config);
    if (config.authorizer_type !== 'JWT') continue;
    const jwt = (
      Array.isArray(config.jwt_configuration) ? config.jwt_configuration[0] : config.jwt_configuration
    ) as JsonObject | undefined;
    const audience = strings(jwt?.audience);
    if (!audience.includes(clientId)) {
      throw new CognitoStackError(
        `${authorizer.address} accepts the audience ${JSON.stringify(audience)}, not the web app client ${clientId}; the API would refuse every token the app gets.`,
      );
    }
  }
}
