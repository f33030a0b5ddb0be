import { RUNTIME_CONFIG_PATH, type WebRuntimeConfig } from '#shared/web/runtime-config.ts';
import type { FetchLike } from '#web/api/client.ts';
import { NetworkError } from '#web/api/errors.ts';

/** Where the app reads its runtime configuration: served beside `index.html`, never cached. */
export const CONFIG_PATH = RUNTIME_CONFIG_PATH;

/** The sign-in settings of `config.json`. */
export type AuthConfig = WebRuntimeConfig['auth'];

/** The runtime configuration of one environment (infra's and the local cloud's `WebRuntimeConfig`). */
export interface AppConfig extends WebRuntimeConfig {
  /** The API's upload limit, when the environment says it; the API checks it either way. */
  readonly maxUploadBytes?: number;
}

/** `config.json` is missing or wrong; `problems` lists every key that is. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

const EXAMPLES: Record<string, string> = {
  apiUrl: 'the HTTP API’s base URL, e.g. "https://abc.execute-api.us-east-1.amazonaws.com"',
  'auth.authority': 'the OpenID provider’s issuer URL',
  'auth.clientId': 'the app’s client id at the identity provider',
  'auth.redirectUri': 'this app’s sign-in callback, e.g. "https://example.com/callback"',
  'auth.postLogoutRedirectUri': 'where sign-out returns, e.g. "https://example.com/"',
  'auth.scope': 'the scopes to ask for, e.g. "openid email profile"',
};

/** Checks the parsed `config.json`, reporting every wrong key at once. */
export function parseConfig(value: unknown): AppConfig {
  if (!isRecord(value)) {
    throw new ConfigError(`${CONFIG_PATH} must be a JSON object with "apiUrl" and "auth".`);
  }
  const problems: string[] = [];
  const url = (path: string, raw: unknown, optional = false): string | undefined => {
    if (raw === undefined && optional) return undefined;
    if (raw === undefined || raw === null || raw === '') {
      problems.push(`"${path}" is missing: ${EXAMPLES[path] ?? 'an http(s) URL'}.`);
      return undefined;
    }
    if (typeof raw !== 'string' || !isHttpUrl(raw)) {
      problems.push(`"${path}" is ${describe(raw)}, not an http(s) URL.`);
      return undefined;
    }
    return raw;
  };
  const text = (path: string, raw: unknown): string | undefined => {
    if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
    problems.push(
      raw === undefined || raw === null || raw === ''
        ? `"${path}" is missing: ${EXAMPLES[path]}.`
        : `"${path}" is ${describe(raw)}, not a string: ${EXAMPLES[path]}.`,
    );
    return undefined;
  };

  const apiUrl = url('apiUrl', value.apiUrl);
  const auth = value.auth;
  let authConfig: AuthConfig | undefined;
  if (!isRecord(auth)) {
    problems.push(
      auth === undefined
        ? '"auth" is missing: the sign-in settings (authority, clientId, redirectUri, postLogoutRedirectUri, scope).'
        : `"auth" is ${describe(auth)}, not an object of sign-in settings.`,
    );
  } else {
    const authority = url('auth.authority', auth.authority);
    const clientId = text('auth.clientId', auth.clientId);
    const redirectUri = url('auth.redirectUri', auth.redirectUri);
    const postLogoutRedirectUri = url('auth.postLogoutRedirectUri', auth.postLogoutRedirectUri);
    const scope = text('auth.scope', auth.scope);
    if (scope !== undefined && !scope.split(/\s+/).includes('openid')) {
      problems.push(`"auth.scope" is "${scope}"; it must include "openid".`);
    }
    const endSessionEndpoint = url('auth.endSessionEndpoint', auth.endSessionEndpoint, true);
    if (authority && clientId && redirectUri && postLogoutRedirectUri && scope) {
      authConfig = {
        authority,
        clientId,
        redirectUri,
        postLogoutRedirectUri,
        scope,
        ...(endSessionEndpoint !== undefined ? { endSessionEndpoint } : {}),
      };
    }
  }
  const maxUploadBytes = value.maxUploadBytes;
  if (
    maxUploadBytes !== undefined &&
    (typeof maxUploadBytes !== 'number' || !Number.isSafeInteger(maxUploadBytes) || maxUploadBytes <= 0)
  ) {
    problems.push(`"maxUploadBytes" is ${describe(maxUploadBytes)}, not a positive whole number of bytes.`);
  }

  if (problems.length > 0 || apiUrl === undefined || authConfig === undefined) {
    const count = problems.length === 1 ? 'a key that is' : `${problems.length} keys that are`;
    throw new ConfigError(`${CONFIG_PATH} has ${count} missing or wrong.`, problems);
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    auth: authConfig,
    ...(typeof maxUploadBytes === 'number' ? { maxUploadBytes } : {}),
  };
}

/**
 * Fetches and checks `config.json`. Rejects with a {@link ConfigError} that says what is wrong, or a
 * {@link NetworkError} when the server did not answer (retrying may help).
 */
export async function loadConfig(fetch: FetchLike, path: string = CONFIG_PATH): Promise<AppConfig> {
  let response: Response;
  let body: string;
  try {
    // No cache option: the server sends `no-cache`, and any other mode would miss index.html's preload.
    response = await fetch(path, { headers: { accept: 'application/json' } });
    body = await response.text();
  } catch (error) {
    throw new NetworkError(
      `Could not load ${path}: the server did not answer. Check your connection and retry.`,
      {
        cause: error,
      },
    );
  }
  if (response.status === 404) {
    throw new ConfigError(
      `${path} was not found (HTTP 404). The app reads its API URL and sign-in settings from it: deploy it beside index.html, or start the local cloud with npm start.`,
    );
  }
  if (!response.ok) {
    throw new ConfigError(`${path} could not be loaded: the server answered HTTP ${response.status}.`);
  }
  if (/^\s*</.test(body)) {
    throw new ConfigError(
      `${path} is an HTML page, not JSON: the server most likely answered with index.html because the file is missing.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : '';
    throw new ConfigError(`${path} is not valid JSON${detail}.`, [], { cause: error });
  }
  return parseConfig(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A short, safe rendering of a wrong value for a message. */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
