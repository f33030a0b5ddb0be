/** What an attribute builder knows of one resource of the stack. */
export interface AttributeContext {
  readonly region: string;
  readonly account: string;
  /** One of the resource's own arguments, tokens resolved. */
  own(field: string): unknown;
  /** Its `field` argument, or else `<field>_prefix` plus a stable generated suffix, as the provider names it. */
  name(field: string): string;
  /** A stable hex digest of the resource's address, for ids the service assigns. */
  readonly digest: string;
}

/**
 * By resource type: the attributes the provider computes (ARNs, ids, names from prefixes), built the
 * way AWS builds them, so `${type.name.arn}` resolves to what the emulator answers.
 */
export type ComputedAttributes = Readonly<
  Record<string, (resource: AttributeContext) => Readonly<Record<string, unknown>>>
>;
