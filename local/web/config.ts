import type { WebRuntimeConfig } from '#shared/web';

/** What the local config is made of; the redirect URIs depend on the origin the app runs on. */
export interface WebConfigInput {
  /** The local API's URL, without a trailing slash. */
  readonly apiUrl: string;
  /** The local OpenID provider's issuer. */
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
  /** The origins registered for the app in the stack, the served app's (`webOrigin`) first. */
  readonly origins: readonly string[];
}

/** The web path of the OpenID redirect and of the post-logout landing page. */
const CALLBACK_PATH = '/callback';

/**
 * The config for a request from `requestOrigin`: its own redirect URIs when it is a registered
 * origin (so the Vite dev server, which proxies `/config.json`, gets `:5173` URIs), else the stack's
 * `webOrigin`. The local provider publishes `end_session_endpoint`, so none is set here.
 */
export function webConfigFor(requestOrigin: string | undefined, input: WebConfigInput): WebRuntimeConfig {
  const [webOrigin] = input.origins;
  if (!webOrigin) throw new Error('webConfigFor needs at least one registered origin.');
  const origin =
    requestOrigin !== undefined && input.origins.includes(requestOrigin) ? requestOrigin : webOrigin;
  return {
    apiUrl: input.apiUrl.replace(/\/+$/, ''),
    auth: {
      authority: input.authority,
      clientId: input.clientId,
      redirectUri: `${origin}${CALLBACK_PATH}`,
      postLogoutRedirectUri: `${origin}/`,
      scope: input.scope,
    },
  };
}

/**
 * The app's registered origins, from the OpenID client's redirect URIs (`<origin>/callback`): the
 * served app's first, then the dev servers'.
 */
export function appOrigins(redirectUris: readonly string[]): string[] {
  return [
    ...new Set(
      redirectUris
        .map((uri) => new URL(uri))
        .filter((url) => url.pathname === CALLBACK_PATH)
        .map((url) => url.origin),
    ),
  ];
}
