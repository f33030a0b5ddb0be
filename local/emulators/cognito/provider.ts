import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import type { Account, KoaContext, Middleware, Provider } from 'oidc-provider';
import {
  createLocalIdentityProvider,
  createSigningKey,
  DEV_USER,
  type LocalIdentityProvider,
  type LocalUser,
  localUser,
  normalizeUsername,
} from '#local/api';
import type { CognitoClientConfig, TokenLifetimes } from './client.ts';
import { createMemoryAdapter } from './memory-adapter.ts';
import {
  ASSET_PATHS,
  errorPage,
  SIGN_OUT_JS,
  STYLE_CSS,
  signedOutPage,
  signInPage,
  signOutPage,
} from './pages.ts';

/** The resource indicator of the HTTP API: every access token is a JWT for it. */
export const API_RESOURCE = 'urn:24-hour-video:api';

/** Paths of the provider's endpoints, Cognito's where Cognito has one. */
export const COGNITO_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  userinfo: '/oauth2/userInfo',
  revocation: '/oauth2/revoke',
  end_session: '/logout',
  jwks: '/.well-known/jwks.json',
} as const;

/** Cognito's authorization codes live five minutes. */
const DEFAULT_CODE_TTL_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 15;
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Options of {@link startCognitoEmulator}. */
export interface CognitoEmulatorOptions {
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
export interface CognitoEmulator {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens, the web app's OIDC authority. */
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

async function readForm(request: IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > limit) break;
  }
  return new URLSearchParams(body);
}

function sendHtml(ctx: KoaContext, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
}

/**
 * Starts a real OpenID provider (oidc-provider) on 127.0.0.1 for the stack's web app client:
 * discovery and JWKS, the authorization-code flow with PKCE S256 required and a local sign-in page
 * (a user name, no password), single-use codes, refresh tokens, userinfo and RP-initiated logout
 * (also in Cognito's `/logout?client_id=…&logout_uri=…` form). Access tokens are Cognito-shaped
 * RS256 JWTs (`client_id`, `token_use`, `scope`, `username`); ID tokens carry `email` and
 * `cognito:username`.
 */
export async function startCognitoEmulator(options: CognitoEmulatorOptions): Promise<CognitoEmulator> {
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
      stop: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * What oidc-provider leaves to the application: the sign-in interaction, the pages' static files,
 * a Cognito-style userinfo and Cognito's `logout_uri` spelling of `post_logout_redirect_uri`.
 */
function localRoutes(input: {
  provider: Provider;
  identity: LocalIdentityProvider;
  users: Map<string, LocalUser>;
  clientId: string;
  appOrigins: ReadonlySet<string>;
}): Middleware {
  const { provider, identity, users, clientId, appOrigins } = input;
  const cspFormTargets = [...appOrigins].join(' ');
  const pageHeaders = (ctx: KoaContext) => {
    // Submitting the sign-in form redirects to the app's callback, which form-action also governs.
    ctx.set(
      'content-security-policy',
      `default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self' ${cspFormTargets}; frame-ancestors 'none'; base-uri 'none'`,
    );
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'no-referrer');
  };

  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === ASSET_PATHS.style) {
      ctx.type = 'text/css';
      ctx.body = STYLE_CSS;
      return;
    }
    if (ctx.method === 'GET' && ctx.path === ASSET_PATHS.signOut) {
      ctx.type = 'text/javascript';
      ctx.body = SIGN_OUT_JS;
      return;
    }
    if (ctx.path === COGNITO_ROUTES.userinfo) {
      await userinfo(ctx, { identity, users, clientId, appOrigins });
      return;
    }
    if (ctx.path === COGNITO_ROUTES.end_session || ctx.path === `${COGNITO_ROUTES.end_session}/confirm`) {
      pageHeaders(ctx);
      const query = new URLSearchParams(ctx.querystring);
      const logoutUri = query.get('logout_uri');
      if (logoutUri !== null && !query.has('post_logout_redirect_uri')) {
        query.set('post_logout_redirect_uri', logoutUri);
        ctx.querystring = query.toString();
      }
      await next();
      return;
    }
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
    if (!match) {
      await next();
      return;
    }
    pageHeaders(ctx);
    let interaction: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      interaction = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      sendHtml(
        ctx,
        400,
        errorPage('interaction_expired', 'this sign-in page has expired or was opened in another browser'),
      );
      return;
    }
    const action = `/interaction/${interaction.uid}/login`;
    if (interaction.prompt.name !== 'login') {
      // The grant is made in loadExistingGrant; any other prompt (consent) needs nothing from the user.
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, { consent: {} });
      ctx.status = 303;
      ctx.redirect(returnTo);
      return;
    }
    if (ctx.method === 'GET' && !match[2]) {
      sendHtml(ctx, 200, signInPage({ action }));
      return;
    }
    if (ctx.method !== 'POST' || !match[2]) {
      sendHtml(ctx, 405, errorPage('method_not_allowed', 'use the sign-in form'));
      return;
    }
    const typed = (await readForm(ctx.req)).get('username') ?? '';
    const name = normalizeUsername(typed);
    if (!USERNAME.test(name)) {
      const error =
        name === ''
          ? 'Type a user name, for example dev.'
          : "A user name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.";
      sendHtml(ctx, 400, signInPage({ action, username: typed, error }));
      return;
    }
    const user = localUser(name);
    users.set(user.sub, user);
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
  };
}

/**
 * Cognito's `/oauth2/userInfo`: the user's attributes for a valid access token of this pool and
 * client, `401` with `WWW-Authenticate` otherwise. CORS for the app's origins.
 */
async function userinfo(
  ctx: KoaContext,
  input: {
    identity: LocalIdentityProvider;
    users: Map<string, LocalUser>;
    clientId: string;
    appOrigins: ReadonlySet<string>;
  },
): Promise<void> {
  const origin = ctx.get('origin');
  if (origin && input.appOrigins.has(origin)) {
    ctx.set('access-control-allow-origin', origin);
    ctx.set('vary', 'Origin');
  }
  if (ctx.method === 'OPTIONS') {
    ctx.set('access-control-allow-methods', 'GET, POST');
    ctx.set('access-control-allow-headers', 'authorization');
    ctx.status = 204;
    return;
  }
  ctx.set('cache-control', 'no-store');
  const refuse = (description: string) => {
    ctx.status = 401;
    ctx.set('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`);
    ctx.body = { error: 'invalid_token', error_description: description };
  };
  if (ctx.method !== 'GET' && ctx.method !== 'POST') {
    ctx.status = 405;
    ctx.body = { error: 'invalid_request', error_description: 'use GET or POST' };
    return;
  }
  const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
  if (!token) {
    refuse('no access token in the Authorization header');
    return;
  }
  try {
    const { payload } = await jwtVerify(token, input.identity.keys, {
      issuer: input.identity.issuer,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const user = typeof payload.sub === 'string' ? input.users.get(payload.sub) : undefined;
    if (payload.token_use !== 'access' || payload.client_id !== input.clientId || !user) {
      refuse('not an access token of this client');
      return;
    }
    const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
    ctx.body = {
      sub: user.sub,
      username: user.username,
      ...(scopes.has('email') ? { email: user.email, email_verified: 'true' } : {}),
    };
  } catch {
    refuse('the access token is invalid or expired');
  }
}
