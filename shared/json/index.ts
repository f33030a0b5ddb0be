/** A parsed JSON object whose fields are still to be checked. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object: not null, not an array, so its fields can be read and checked. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
