import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Account, KoaContext, Provider } from 'oidc-provider';
import type { ServedEmulator } from '#local/emulators/common';
import type { CognitoClientConfig, TokenLifetimes } from './from-stack.ts';
import { CLOCK_TOLERANCE_SECONDS, COGNITO_ROUTES, localRoutes, sendHtml } from './interaction.ts';
import { createMemoryAdapter } from './memory-adapter.ts';
import { errorPage, signedOutPage, signOutPage } from './pages.ts';
import {
  createLocalIdentityProvider,
  createSigningKey,
  DEV_USER,
  type LocalIdentityProvider,
  type LocalUser,
} from './tokens.ts';

/** The resource indicator of the HTTP API: every access token is a JWT for it. */
export const API_RESOURCE = 'urn:24-hour-video:api';

/** Cognito's authorization codes live five minutes. */
const DEFAULT_CODE_TTL_SECONDS = 300;

/** Options of {@link startCognito}. */
export interface CognitoOptions {
  /** The app client, usually `cognitoClientFromStack(stack)`. */
  readonly client: CognitoClientConfig;
  /** Defaults to 0: a free port on 127.0.0.1. */
  readonly port?: number;
  /** Overrides the stack's token lifetimes (tests use short ones). */
  readonly lifetimes?: Partial<TokenLifetimes>;
  /** Lifetime of an authorization code; default 300 s, as Cognito's. */
  readonly codeTtlSeconds?: number;
}

/** A running local OpenID provider standing in for the Cognito user pool and its hosted UI. */
export interface LocalCognito extends ServedEmulator {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens, the web app's OIDC authority (its endpoint too). */
  readonly issuer: string;
  readonly clientId: string;
  /** The client it serves, with the lifetimes in force. */
  readonly client: CognitoClientConfig;
  /** Signs Cognito-shaped tokens with the provider's own key (the printed development token, tests). */
  readonly identity: LocalIdentityProvider;
  /** Absolute URLs of its endpoints. */
  readonly endpoints: Readonly<Record<'discovery' | keyof typeof COGNITO_ROUTES, string>>;
  stop(): Promise<void>;
}

/**
 * Loads oidc-provider. On Node 20 it warns at import that it wants Node 22; Lambda runs 22, the
 * local cloud runs on 20 (package.json `engines`) and the library's test suite passes there, so that
 * one line is dropped and nothing else.
 */
async function loadProvider(): Promise<typeof import('oidc-provider')> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

/**
 * Starts a real OpenID provider (oidc-provider) on 127.0.0.1 for the stack's web app client:
 * discovery and JWKS, the authorization-code flow with PKCE S256 required and a local sign-in page
 * (a user name, no password), single-use codes, refresh tokens, userinfo and RP-initiated logout
 * (also in Cognito's `/logout?client_id=…&logout_uri=…` form). Access tokens are Cognito-shaped
 * RS256 JWTs (`client_id`, `token_use`, `scope`, `username`); ID tokens carry `email` and
 * `cognito:username`.
 */
export async function startCognito(options: CognitoOptions): Promise<LocalCognito> {
  const { Provider, errors } = await loadProvider();
  const lifetimes: TokenLifetimes = { ...options.client.lifetimes, ...options.lifetimes };
  const client: CognitoClientConfig = { ...options.client, lifetimes };
  const { clientId } = client;
  const scope = client.scopes.join(' ');
  const appOrigins = new Set(
    [...client.redirectUris, ...client.postLogoutRedirectUris].map((uri) => new URL(uri).origin),
  );

  const server = createServer();
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  try {
    const signingKey = await createSigningKey();
    const identity = await createLocalIdentityProvider({ issuer, audience: clientId, signingKey });
    const users = new Map<string, LocalUser>([[DEV_USER.sub, DEV_USER]]);
    const account = (sub: string): Account | undefined => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: (use) => ({
          sub,
          'cognito:username': user.username,
          email: user.email,
          email_verified: true,
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
        }),
      };
    };

    // A rotated refresh token keeps the first one's end, as the library's default does for public clients.
    const refreshTokenTtl = (ctx: KoaContext | undefined) =>
      (ctx?.oidc?.entities.RotatedRefreshToken as { remainingTTL?: number } | undefined)?.remainingTTL ??
      lifetimes.refreshTokenSeconds;
    const provider: Provider = new Provider(issuer, {
      adapter: createMemoryAdapter(CLOCK_TOLERANCE_SECONDS),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      clients: [
        {
          client_id: clientId,
          client_name: '24-Hour Video',
          application_type: 'web',
          token_endpoint_auth_method: 'none',
          response_types: ['code'],
          grant_types: ['authorization_code', 'refresh_token'],
          redirect_uris: [...client.redirectUris],
          post_logout_redirect_uris: [...client.postLogoutRedirectUris],
          scope,
          // Cognito's ID tokens always carry auth_time.
          require_auth_time: true,
        },
      ],
      jwks: { keys: [signingKey.privateJwk] },
      // Per process, like the signing key: a restart signs everyone out, as it invalidates their tokens.
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      scopes: [...client.scopes],
      claims: {
        openid: ['sub', 'cognito:username', 'token_use'],
        email: ['email', 'email_verified'],
        profile: [],
      },
      // Cognito puts the scopes' claims into the ID token even when an access token comes with it.
      conformIdTokenClaims: false,
      responseTypes: ['code'],
      pkce: { required: () => true },
      routes: COGNITO_ROUTES,
      discovery: { userinfo_endpoint: `${issuer}${COGNITO_ROUTES.userinfo}` },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true },
        // Replaced by a Cognito-style userinfo (below): the library's refuses access tokens with an `aud`.
        userinfo: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: KoaContext, form: string) => sendHtml(ctx, 200, signOutPage(form)),
          postLogoutSuccessSource: async (ctx: KoaContext) => sendHtml(ctx, 200, signedOutPage()),
        },
        // JWT access tokens need a resource server; the audience is the client id, which the API's
        // authorizer accepts (Cognito's access tokens carry only `client_id`; oidc-provider requires an `aud`).
        resourceIndicators: {
          enabled: true,
          defaultResource: async () => API_RESOURCE,
          useGrantedResource: async () => true,
          getResourceServerInfo: async (_ctx: KoaContext, resource: string) => {
            if (resource !== API_RESOURCE) throw new errors.InvalidTarget(`unknown resource ${resource}`);
            return {
              scope,
              audience: clientId,
              accessTokenFormat: 'jwt',
              accessTokenTTL: lifetimes.accessTokenSeconds,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      extraTokenClaims: async (ctx: KoaContext, token: { accountId?: string }) => {
        const user = token.accountId ? users.get(token.accountId) : undefined;
        const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
        return {
          token_use: 'access',
          ...(user ? { username: user.username } : {}),
          ...(source?.authTime !== undefined ? { auth_time: source.authTime } : {}),
        };
      },
      findAccount: async (_ctx: KoaContext, sub: string) => account(sub),
      // The web app is first-party: like Cognito, grant its scopes without a consent screen.
      loadExistingGrant: async (ctx: KoaContext) => {
        const { session, result } = ctx.oidc;
        if (!session?.accountId) return undefined;
        const grantId = result?.consent?.grantId ?? session.grantIdFor(clientId);
        const grant =
          (grantId ? await provider.Grant.find(grantId) : undefined) ??
          new provider.Grant({ clientId, accountId: session.accountId });
        grant.addOIDCScope(scope);
        grant.addResourceScope(API_RESOURCE, scope);
        await grant.save();
        return grant;
      },
      // Cognito issues a refresh token with every code exchange, without `offline_access`.
      issueRefreshToken: async (_ctx: KoaContext, c: { grantTypeAllowed(type: string): boolean }) =>
        c.grantTypeAllowed('refresh_token'),
      clientBasedCORS: (_ctx: KoaContext, origin: string) => appOrigins.has(origin),
      interactions: {
        url: async (_ctx: KoaContext, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      renderError: async (ctx: KoaContext, out: { error: string; error_description?: string }) =>
        sendHtml(ctx, Math.max(ctx.status, 400), errorPage(out.error, out.error_description)),
      ttl: {
        AccessToken: lifetimes.accessTokenSeconds,
        AuthorizationCode: options.codeTtlSeconds ?? DEFAULT_CODE_TTL_SECONDS,
        IdToken: lifetimes.idTokenSeconds,
        RefreshToken: refreshTokenTtl,
        Session: lifetimes.refreshTokenSeconds,
        Grant: lifetimes.refreshTokenSeconds,
        Interaction: 3600,
      },
    });

    provider.use(localRoutes({ provider, identity, users, clientId, appOrigins }));
    const callback = provider.callback();
    server.on('request', callback);

    const url = (path: string) => `${issuer}${path}`;
    return {
      endpoint: issuer,
      issuer,
      clientId,
      client,
      identity,
      endpoints: {
        discovery: url('/.well-known/openid-configuration'),
        authorization: url(COGNITO_ROUTES.authorization),
        token: url(COGNITO_ROUTES.token),
        userinfo: url(COGNITO_ROUTES.userinfo),
        revocation: url(COGNITO_ROUTES.revocation),
        end_session: url(COGNITO_ROUTES.end_session),
        jwks: url(COGNITO_ROUTES.jwks),
      },
      // Each request is answered before its caller goes on: nothing runs in the background.
      whenIdle: async () => undefined,
      stop: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
