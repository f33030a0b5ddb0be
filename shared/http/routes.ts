/** The HTTP methods the API's routes use. */
export type ApiMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One route of the HTTP API and the function that serves it. */
export interface ApiRoute {
  readonly method: ApiMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  /** Folder under `functions/` (and bundle under `dist/functions/`). */
  readonly functionName: string;
}

/**
 * The routes of the HTTP API. Infra builds its routes from this list and the local API emulator
 * routes by it, so the two cannot disagree. Every route sits behind the JWT authorizer.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/uploads', functionName: 'create-upload' },
  { method: 'GET', path: '/videos', functionName: 'list-videos' },
  { method: 'GET', path: '/videos/{videoId}', functionName: 'get-video' },
  { method: 'PATCH', path: '/videos/{videoId}', functionName: 'update-video' },
  { method: 'DELETE', path: '/videos/{videoId}', functionName: 'request-deletion' },
];

/**
 * The `limit` of `GET /videos`: `fallback` when the caller gives none, anything larger capped at `max`
 * (the options `limitParam` takes).
 */
export const PAGE_LIMIT = { fallback: 20, max: 100 } as const;

/** The methods of {@link API_ROUTES} plus OPTIONS, as CORS preflights must allow them. */
export function corsMethods(routes: readonly ApiRoute[] = API_ROUTES): string[] {
  return [...new Set<string>(routes.map((route) => route.method)), 'OPTIONS'];
}

/** API Gateway's route key of a route, e.g. `GET /videos/{videoId}`. */
export function routeKey(route: ApiRoute): string {
  return `${route.method} ${route.path}`;
}

/** Matches a request against a route; returns the path parameters, or undefined when it does not match. */
export function matchRoute(
  route: ApiRoute,
  method: string,
  path: string,
): Record<string, string> | undefined {
  if (route.method !== method.toUpperCase()) return undefined;
  const want = route.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name !== undefined) {
      if (actual === '') return undefined;
      try {
        params[name] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (part !== actual) {
      return undefined;
    }
  }
  return params;
}
