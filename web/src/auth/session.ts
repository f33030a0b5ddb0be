import type { SigninRedirectArgs, SignoutRedirectArgs, User } from 'oidc-client-ts';

/** The part of oidc-client-ts's `UserManager` the session logic uses (a fake in tests). */
export interface SessionManager {
  getUser(): Promise<User | null>;
  signinSilent(): Promise<User | null>;
  signinRedirect(args?: SigninRedirectArgs): Promise<void>;
  signoutRedirect(args?: SignoutRedirectArgs): Promise<void>;
  removeUser(): Promise<void>;
}

/** Seconds before expiry at which a token counts as expired: it must survive the trip to the API. */
const EXPIRY_MARGIN_SECONDS = 10;

/**
 * Hands out the access token, renewing it first (with the refresh token) when it has expired, e.g.
 * after the tab slept through the library's own renewal. Concurrent callers share one renewal, so a
 * rotating refresh token is never spent twice.
 */
export function tokenSource(manager: SessionManager, log: (message: string, error: unknown) => void) {
  let renewal: Promise<string | undefined> | undefined;
  const fresh = (user: User | null): boolean =>
    user !== null && (user.expires_in === undefined || user.expires_in > EXPIRY_MARGIN_SECONDS);

  return async function accessToken(): Promise<string | undefined> {
    const user = await manager.getUser();
    if (user === null) return undefined;
    if (fresh(user)) return user.access_token;
    if (!user.refresh_token) return undefined;
    renewal ??= manager
      .signinSilent()
      .then((renewed) => (renewed !== null && fresh(renewed) ? renewed.access_token : undefined))
      .catch((error: unknown) => {
        log('token renewal failed; signing in again', error);
        return undefined;
      })
      .finally(() => {
        renewal = undefined;
      });
    return renewal;
  };
}

/** How long after a 401 sign-in another 401 means sign-in does not help (so the app must not loop). */
export const REAUTH_WINDOW_MS = 60_000;

/** Where the time of the last 401 sign-in is kept across the redirect. */
export interface Memo {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const REAUTH_KEY = '24hv.reauth-at';

/**
 * What to do on a 401: send the user through sign-in and back to `returnTo`, unless that already
 * happened within {@link REAUTH_WINDOW_MS} (a token the API keeps refusing would loop forever).
 * Returns true when the redirect has started. If the provider cannot be reached, the refused session is
 * dropped, so the start page offers Sign in instead of waiting forever.
 */
export function reauthenticator(deps: {
  manager: Pick<SessionManager, 'signinRedirect' | 'removeUser'>;
  memo: Memo;
  now: () => number;
  returnTo: () => { returnTo: string };
  log: (message: string, error: unknown) => void;
}): () => boolean {
  return () => {
    const last = deps.memo.getItem(REAUTH_KEY);
    const now = deps.now();
    if (last !== null && now - Number(last) < REAUTH_WINDOW_MS) return false;
    deps.memo.setItem(REAUTH_KEY, String(now));
    deps.manager.signinRedirect({ state: deps.returnTo() }).catch((error: unknown) => {
      deps.log('sign-in redirect failed; dropping the refused session', error);
      return deps.manager.removeUser();
    });
    return true;
  };
}
