const NAME_PLACEHOLDER = /#[A-Za-z0-9_]+/g;
const VALUE_PLACEHOLDER = /:[A-Za-z0-9_]+/g;

/** The `ExpressionAttributeNames` and `ExpressionAttributeValues` of one DynamoDB request. */
export interface ExpressionAttributes {
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * Collects the `#name` placeholders `expressions` use, each declared from `names` (placeholder to
 * attribute), and checks the `:value` placeholders against `values`. A name `names` does not declare, a
 * value not given, or a value no expression uses throws naming it: DynamoDB refuses such a request with a
 * ValidationException, and a stubbed client would not.
 */
export function expressionAttributes(
  expressions: readonly (string | undefined)[],
  names: Readonly<Record<string, string>>,
  values: Readonly<Record<string, unknown>>,
): ExpressionAttributes {
  const text = expressions.filter((expression) => expression !== undefined).join(' ');
  const attributeNames: Record<string, string> = {};
  for (const placeholder of text.match(NAME_PLACEHOLDER) ?? []) {
    const name = names[placeholder];
    if (name === undefined) {
      throw new Error(
        `The expression uses ${placeholder}, which names no attribute: declare it or fix the typo.`,
      );
    }
    attributeNames[placeholder] = name;
  }
  const used = new Set(text.match(VALUE_PLACEHOLDER));
  const missing = [...used].filter((placeholder) => !(placeholder in values));
  const unused = Object.keys(values).filter((placeholder) => !used.has(placeholder));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `The expression's values do not match it: ${[
        ...missing.map((p) => `${p} is used but not given`),
        ...unused.map((p) => `${p} is given but not used`),
      ].join('; ')}.`,
    );
  }
  return { ExpressionAttributeNames: attributeNames, ExpressionAttributeValues: { ...values } };
}
