import { SynthesizedStack } from '#local/synthesized-stack';

/** A Terraform reference, `${expression}`, as it appears in synthesized JSON. */
const ref = (expression: string) => ['$', '{', expression, '}'].join('');

/**
 * A small synthesized stack with a Cognito user pool, its web app client (two registered origins,
 * 5-minute access and ID tokens, 1-day refresh tokens) and an HTTP API whose JWT authorizer names
 * the client. Built fresh per call, so tests may edit it.
 */
export function authStackJson(): Record<string, unknown> {
  return {
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_cognito_user_pool: { users: { name: 'x-users', username_attributes: ['email'] } },
      aws_cognito_user_pool_client: {
        web: {
          name: 'x-web',
          user_pool_id: ref('aws_cognito_user_pool.users.id'),
          generate_secret: false,
          allowed_oauth_flows: ['code'],
          allowed_oauth_scopes: ['openid', 'email', 'profile'],
          callback_urls: ['http://127.0.0.1:4173/callback', 'http://127.0.0.1:5173/callback'],
          logout_urls: ['http://127.0.0.1:4173/', 'http://127.0.0.1:5173/'],
          access_token_validity: 5,
          id_token_validity: 5,
          refresh_token_validity: 1,
          token_validity_units: [{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'days' }],
        },
      },
      aws_apigatewayv2_api: {
        api: {
          name: 'x-api',
          protocol_type: 'HTTP',
          cors_configuration: { allow_origins: ['http://127.0.0.1:4173', 'http://127.0.0.1:5173'] },
        },
      },
      aws_apigatewayv2_authorizer: {
        jwt: {
          api_id: ref('aws_apigatewayv2_api.api.id'),
          authorizer_type: 'JWT',
          identity_sources: ['$request.header.Authorization'],
          jwt_configuration: {
            audience: [ref('aws_cognito_user_pool_client.web.id')],
            issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${ref('aws_cognito_user_pool.users.id')}`,
          },
        },
      },
    },
  };
}

/** {@link authStackJson} as a {@link SynthesizedStack}. */
export function authStack(json = authStackJson()): SynthesizedStack {
  return new SynthesizedStack(json, '/tmp');
}
