import type { IncomingMessage } from 'node:http';
import { jwtVerify } from 'jose';
import type { KoaContext, Middleware, Provider } from 'oidc-provider';
import { ASSET_PATHS, errorPage, SIGN_OUT_JS, STYLE_CSS, signInPage } from './pages.ts';
import { type LocalIdentityProvider, type LocalUser, localUser, normalizeUsername } from './tokens.ts';

/** Paths of the provider's endpoints, Cognito's where Cognito has one. */
export const COGNITO_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  userinfo: '/oauth2/userInfo',
  revocation: '/oauth2/revoke',
  end_session: '/logout',
  jwks: '/.well-known/jwks.json',
} as const;

export const CLOCK_TOLERANCE_SECONDS = 15;
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

async function readForm(request: IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > limit) break;
  }
  return new URLSearchParams(body);
}

/** Answers with an HTML page that no cache keeps. */
export function sendHtml(ctx: KoaContext, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
}

/**
 * What oidc-provider leaves to the application: the sign-in interaction, the pages' static files,
 * a Cognito-style userinfo and Cognito's `logout_uri` spelling of `post_logout_redirect_uri`.
 */
export function localRoutes(input: {
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
