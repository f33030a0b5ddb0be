import { isObject, type JsonObject } from '#shared/json';

/** A CreateJob request the emulator refuses; `path` is the JSON pointer of the offending member. */
export class JobSettingsError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'JobSettingsError';
  }
}

export function object(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new JobSettingsError(path, 'Should be an object.');
  return value;
}

export function only(value: JsonObject, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new JobSettingsError(
        `${path}/${key}`,
        `Not supported by the local MediaConvert emulator (it understands ${allowed.join(', ')}). Remove it or extend local/emulators/mediaconvert/settings.ts.`,
      );
    }
  }
}

export function text(value: JsonObject, key: string, path: string, required: true): string;
export function text(value: JsonObject, key: string, path: string, required?: false): string | undefined;
export function text(value: JsonObject, key: string, path: string, required = false): string | undefined {
  const raw = value[key];
  if (raw === undefined) {
    if (required) throw new JobSettingsError(`${path}/${key}`, 'Is required.');
    return undefined;
  }
  if (typeof raw !== 'string' || raw === '')
    throw new JobSettingsError(`${path}/${key}`, 'Should be a non-empty string.');
  return raw;
}

export function oneOf<const T extends string>(
  value: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const raw = value[key];
  if (raw === undefined && fallback !== undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) {
    throw new JobSettingsError(
      `${path}/${key}`,
      `Should be one of ${allowed.join(', ')} (the values the local emulator renders); got ${JSON.stringify(raw)}.`,
    );
  }
  return raw as T;
}

export function integer(
  value: JsonObject,
  key: string,
  path: string,
  min: number,
  max: number,
  required: true,
): number;
export function integer(
  value: JsonObject,
  key: string,
  path: string,
  min: number,
  max: number,
  required?: false,
): number | undefined;
export function integer(
  value: JsonObject,
  key: string,
  path: string,
  min: number,
  max: number,
  required = false,
): number | undefined {
  const raw = value[key];
  if (raw === undefined) {
    if (required) throw new JobSettingsError(`${path}/${key}`, 'Is required.');
    return undefined;
  }
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    throw new JobSettingsError(
      `${path}/${key}`,
      `Should be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}.`,
    );
  }
  return raw;
}

export function stringMap(value: unknown, path: string): Record<string, string> {
  if (value === undefined) return {};
  const map = object(value, path);
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry !== 'string') throw new JobSettingsError(`${path}/${key}`, 'Should be a string.');
  }
  return map as Record<string, string>;
}

/** Splits `s3://bucket/key`; the key is taken as stored (MediaConvert does not URL-decode it). */
export function parseS3Url(url: string, path: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/s.exec(url);
  if (!match?.[1])
    throw new JobSettingsError(path, `Should be an s3://bucket/key URL; got ${JSON.stringify(url)}.`);
  return { bucket: match[1], key: match[2] ?? '' };
}
