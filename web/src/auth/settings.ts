import type { SignoutRedirectArgs, UserManagerSettings } from 'oidc-client-ts';
import type { AuthConfig } from '#web/app/config.ts';

/**
 * The OIDC client's settings: authorization code with PKCE (oidc-client-ts always uses S256), refresh
 * tokens renewed before the access token expires. The same settings work against Cognito and the
 * local OpenID provider; only Cognito needs its `/logout` seeded, as its discovery leaves it out.
 */
export function oidcSettings(auth: AuthConfig): UserManagerSettings {
  return {
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    post_logout_redirect_uri: auth.postLogoutRedirectUri,
    scope: auth.scope,
    response_type: 'code',
    automaticSilentRenew: true,
    ...(auth.endSessionEndpoint !== undefined
      ? { metadataSeed: { end_session_endpoint: auth.endSessionEndpoint } }
      : {}),
  };
}

/**
 * The sign-out request. Cognito's `/logout` wants `client_id` and `logout_uri`
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html); a standard provider
 * ignores `logout_uri` and reads the same `client_id` it would be sent anyway.
 */
export function signOutArgs(auth: AuthConfig): SignoutRedirectArgs {
  return { extraQueryParams: { client_id: auth.clientId, logout_uri: auth.postLogoutRedirectUri } };
}

/** The path the callback returns to: a same-origin path from the sign-in state, else the library. */
export function returnPathOf(state: unknown): string {
  const path =
    typeof state === 'object' && state !== null ? (state as { returnTo?: unknown }).returnTo : undefined;
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) {
    return '/';
  }
  return path.startsWith('/callback') ? '/' : path;
}

/** The sign-in state that brings the user back to `location` (path, query and fragment). */
export function returnState(location: { pathname: string; search: string; hash: string }): {
  returnTo: string;
} {
  return { returnTo: returnPathOf({ returnTo: `${location.pathname}${location.search}${location.hash}` }) };
}
