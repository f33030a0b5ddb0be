import type { QueryClient } from '@tanstack/react-query';
import { UserManager } from 'oidc-client-ts';
import { type ApiClient, createApiClient } from '#web/api/client.ts';
import { catalogueQuery } from '#web/api/queries.ts';
import { reauthenticator, tokenSource } from '#web/auth/session.ts';
import { oidcSettings, returnState } from '#web/auth/settings.ts';
import type { AppConfig } from './config.ts';
import { createQueryClient } from './query-client.ts';

/** Everything built once from the config: the OIDC client, the query cache and the API client. */
export interface Session {
  readonly manager: UserManager;
  readonly queryClient: QueryClient;
  readonly api: ApiClient;
}

const sessions = new WeakMap<AppConfig, Session>();

const warn = (message: string, error: unknown) => console.warn(message, error);

/** The session of `config`, built on first use (React may render twice; it must not build twice). */
export function sessionFor(config: AppConfig): Session {
  const existing = sessions.get(config);
  if (existing) return existing;
  const manager = new UserManager(oidcSettings(config.auth));
  const queryClient = createQueryClient();
  // Another user may sign in next in this tab: nothing of this one's may show.
  manager.events.addUserUnloaded(() => queryClient.clear());
  const api = createApiClient({
    baseUrl: config.apiUrl,
    accessToken: tokenSource(manager, warn),
    onUnauthorized: reauthenticator({
      manager,
      memo: window.sessionStorage,
      now: Date.now,
      returnTo: () => returnState(window.location),
      log: warn,
    }),
    fetch: (url, init) => window.fetch(url, init),
  });
  const session = { manager, queryClient, api };
  sessions.set(config, session);
  return session;
}

/**
 * Starts the library's one request as soon as the config is in, while the views are still mounting:
 * render-as-you-fetch, so opening `/` costs one API round trip after the config, not after React.
 * Only for a stored session whose token is still good; anything else waits for the views as usual.
 */
export async function prefetchLibrary(config: AppConfig, path: string): Promise<void> {
  if (path !== '/') return;
  const { manager, queryClient, api } = sessionFor(config);
  const user = await manager.getUser();
  if (user && !user.expired) await queryClient.prefetchInfiniteQuery(catalogueQuery(api));
}
