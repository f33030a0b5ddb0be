import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { Construct } from 'constructs';
import { type StageConfig, WEB_CALLBACK_PATH, webOrigins } from '../config.ts';

/** Props of {@link UserAuth}. */
export interface UserAuthProps {
  readonly config: StageConfig;
}

/** OAuth scopes the web app asks for; the access token carries them. */
export const WEB_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * Sign-in for the web app: a Cognito user pool (e-mail as the username) with a hosted-UI domain
 * and one public app client for the SPA. The client uses the authorization-code grant with PKCE
 * and has no secret, because a browser cannot keep one; Cognito checks the `code_verifier` of
 * every code exchange that sent a `code_challenge`.
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
      domain: `${config.namePrefix}-auth`,
      userPoolId: this.userPool.id,
    });

    const origins = webOrigins(config);
    this.client = new CognitoUserPoolClient(this, 'web-client', {
      name: `${config.namePrefix}-web`,
      userPoolId: this.userPool.id,
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: [...WEB_SCOPES],
      supportedIdentityProviders: ['COGNITO'],
      callbackUrls: origins.map((origin) => `${origin}${WEB_CALLBACK_PATH}`),
      logoutUrls: origins.map((origin) => `${origin}/`),
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
    });

    this.issuer = `https://cognito-idp.${config.region}.amazonaws.com/${this.userPool.id}`;
    this.clientId = this.client.id;
    this.hostedUiUrl = `https://${this.domain.domain}.auth.${config.region}.amazoncognito.com`;
  }
}
