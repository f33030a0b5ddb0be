import type { JsonObject } from '#shared/json';

/** A Terraform value as a list: the synthesized JSON has a nested block as a list, or as one object. */
export function asList(value: unknown): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : value ? [value as JsonObject] : [];
}
