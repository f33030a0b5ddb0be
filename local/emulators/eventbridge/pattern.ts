import type { JsonObject } from '#shared/json';

/**
 * True when `event` matches an EventBridge event pattern (also the syntax of SNS filter policies):
 * every field of the pattern must match, arrays list alternatives, and the content filters
 * `prefix`, `suffix`, `anything-but`, `exists`, `numeric`, `equals-ignore-case` and `wildcard` apply.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export function matchesPattern(pattern: JsonObject, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = event && typeof event === 'object' ? (event as JsonObject)[field] : undefined;
    if ((field === '$or' || field === '$and') && Array.isArray(expected)) {
      const parts = expected as JsonObject[];
      return field === '$or'
        ? parts.some((p) => matchesPattern(p, event))
        : parts.every((p) => matchesPattern(p, event));
    }
    if (Array.isArray(expected)) return matchesAlternatives(expected, actual);
    if (expected && typeof expected === 'object') return matchesPattern(expected as JsonObject, actual);
    return false;
  });
}

function matchesAlternatives(alternatives: readonly unknown[], actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return alternatives.some((alternative) => {
    if (alternative && typeof alternative === 'object') {
      const filter = alternative as JsonObject;
      if ('exists' in filter) return filter.exists ? actual !== undefined : actual === undefined;
      return actual !== undefined && values.some((value) => matchesFilter(filter, value));
    }
    return actual !== undefined && values.some((value) => value === alternative);
  });
}

function matchesFilter(filter: JsonObject, value: unknown): boolean {
  if ('prefix' in filter) return matchesAffix(filter.prefix, value, (v, p) => v.startsWith(p));
  if ('suffix' in filter) return matchesAffix(filter.suffix, value, (v, s) => v.endsWith(s));
  if ('equals-ignore-case' in filter) {
    return (
      typeof value === 'string' &&
      listOf(filter['equals-ignore-case']).some((e) => value.toLowerCase() === String(e).toLowerCase())
    );
  }
  if ('wildcard' in filter) {
    return typeof value === 'string' && listOf(filter.wildcard).some((w) => wildcardRegex(w).test(value));
  }
  if ('anything-but' in filter) {
    const excluded = filter['anything-but'];
    if (Array.isArray(excluded)) return !excluded.includes(value);
    // anything-but with prefix, suffix, equals-ignore-case or wildcard takes one value or a list:
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
    if (excluded && typeof excluded === 'object') {
      return typeof value === 'string' && !matchesFilter(excluded as JsonObject, value);
    }
    return value !== excluded;
  }
  if ('numeric' in filter && Array.isArray(filter.numeric) && typeof value === 'number') {
    const terms = filter.numeric as unknown[];
    for (let i = 0; i + 1 < terms.length; i += 2) {
      const bound = Number(terms[i + 1]);
      const ok = {
        '=': value === bound,
        '<': value < bound,
        '<=': value <= bound,
        '>': value > bound,
        '>=': value >= bound,
      }[String(terms[i])];
      if (!ok) return false;
    }
    return true;
  }
  return false;
}

/** `prefix`/`suffix` take a string, a list of strings (inside anything-but), or `{ equals-ignore-case }`. */
function matchesAffix(
  affix: unknown,
  value: unknown,
  test: (value: string, affix: string) => boolean,
): boolean {
  if (typeof value !== 'string') return false;
  if (affix && typeof affix === 'object' && !Array.isArray(affix)) {
    const lower = value.toLowerCase();
    return listOf((affix as JsonObject)['equals-ignore-case']).some((a) =>
      test(lower, String(a).toLowerCase()),
    );
  }
  return listOf(affix).some((a) => test(value, String(a)));
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function wildcardRegex(wildcard: unknown): RegExp {
  return new RegExp(
    `^${String(wildcard)
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
