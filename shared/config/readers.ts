import { ConfigError } from './errors.ts';

/** The environment a reader reads: `process.env` unless a test passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads a required string variable; throws {@link ConfigError} naming the variable when it is missing or empty. */
export function requireString(name: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      `Environment variable ${name} is not set. The stack sets it when it grants the function access; set it by hand only for local runs.`,
    );
  }
  return value;
}

/** Reads an optional string variable; empty counts as unset. */
export function optionalString(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Reads a required positive integer variable; throws {@link ConfigError} when it is missing or not a positive integer. */
export function requirePositiveInt(name: string, env: Env = process.env): number {
  const raw = requireString(name, env);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`Environment variable ${name} must be a positive integer, got "${raw}".`);
  }
  return value;
}

/** Reads an optional boolean variable (`true`/`false`/`1`/`0`), defaulting when unset. */
export function optionalBoolean(name: string, fallback: boolean, env: Env = process.env): boolean {
  const raw = optionalString(name, env);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`Environment variable ${name} must be true or false, got "${raw}".`);
}

/** Reads a required variable that must be one of `allowed`. */
export function requireOneOf<const T extends string>(
  name: string,
  allowed: readonly T[],
  env: Env = process.env,
): T {
  const raw = requireString(name, env);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`Environment variable ${name} must be one of ${allowed.join(', ')}, got "${raw}".`);
  }
  return raw as T;
}
