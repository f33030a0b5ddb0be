type Json = Record<string, unknown>;

/** A Terraform value as a list: the synthesized JSON has a nested block as a list, or as one object. */
export function asList(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : value ? [value as Json] : [];
}
