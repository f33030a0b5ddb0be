import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { Construct } from 'constructs';
import { type StageConfig, WEB_CALLBACK_PATH, type WebOrigins, webOrigins } from '../config.ts';
import { IdentityProviders } from './identity-providers.ts';

/** Props of {@link UserAuth}. */
export interface UserAuthProps {
  readonly config: StageConfig;
  /** The web app's origins: each gets a callback (`/callback`) and a logout URL (`/`). */
  readonly origins: WebOrigins;
}

/** The hosted UI's domain prefix: `<prefix>.auth.<region>.amazoncognito.com`. */
export function hostedUiPrefix(config: Pick<StageConfig, 'namePrefix'>): string {
  return `${config.namePrefix}-auth`;
}

/**
 * The origins of sign-in, known from the config alone: the issuer's (discovery, JWKS) and the hosted
 * UI's (authorize, token, logout). What CloudFront's headers name without depending on Cognito.
 */
export function signInOrigins(config: Pick<StageConfig, 'namePrefix' | 'region'>): {
  issuer: string;
  hostedUi: string;
} {
  return {
    issuer: `https://cognito-idp.${config.region}.amazonaws.com`,
    hostedUi: `https://${hostedUiPrefix(config)}.auth.${config.region}.amazoncognito.com`,
  };
}

/** OAuth scopes the web app asks for; the access token carries them. */
export const WEB_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * Sign-in for the web app: a Cognito user pool (e-mail as the username) with a hosted-UI domain, the
 * external identity providers of the config, and one public app client for the SPA. The client uses
 * the authorization-code grant with PKCE and has no secret, because a browser cannot keep one; Cognito
 * checks the `code_verifier` of every code exchange that sent a `code_challenge`.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html
 */
export class UserAuth extends Construct {
  readonly userPool: CognitoUserPool;
  readonly client: CognitoUserPoolClient;
  readonly domain: CognitoUserPoolDomain;
  /** The `iss` of the pool's tokens; the JWT authorizer trusts it. */
  readonly issuer: string;
  /** The app client id: the audience the JWT authorizer accepts. */
  readonly clientId: string;
  /** Base URL of the hosted UI (`/oauth2/authorize`, `/oauth2/token`, `/logout`). */
  readonly hostedUiUrl: string;
  /** The redirect URI to register at an external identity provider. */
  readonly idpResponseUrl: string;
  readonly identityProviders: IdentityProviders;

  constructor(scope: Construct, id: string, props: UserAuthProps) {
    super(scope, id);
    const { config } = props;

    this.userPool = new CognitoUserPool(this, 'users', {
      name: `${config.namePrefix}-users`,
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      usernameConfiguration: { caseSensitive: false },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: false,
        temporaryPasswordValidityDays: 3,
      },
      mfaConfiguration: 'OPTIONAL',
      softwareTokenMfaConfiguration: { enabled: true },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      deletionProtection: config.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    });

    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      domain: hostedUiPrefix(config),
      userPoolId: this.userPool.id,
    });

    this.identityProviders = new IdentityProviders(this, 'identity-providers', {
      providers: config.identityProviders,
      userPoolId: this.userPool.id,
    });
    const origins = webOrigins(props.origins);
    this.client = new CognitoUserPoolClient(this, 'web-client', {
      name: `${config.namePrefix}-web`,
      userPoolId: this.userPool.id,
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: [...WEB_SCOPES],
      supportedIdentityProviders: ['COGNITO', ...this.identityProviders.names],
      callbackUrls: origins.map((origin) => `${origin}${WEB_CALLBACK_PATH}`),
      logoutUrls: origins.map((origin) => `${origin}/`),
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
      ...(this.identityProviders.resources.length > 0
        ? { dependsOn: [...this.identityProviders.resources] }
        : {}),
    });

    this.issuer = `https://cognito-idp.${config.region}.amazonaws.com/${this.userPool.id}`;
    this.clientId = this.client.id;
    this.hostedUiUrl = `https://${this.domain.domain}.auth.${config.region}.amazoncognito.com`;
    this.idpResponseUrl = `${this.hostedUiUrl}/oauth2/idpresponse`;
  }
}
