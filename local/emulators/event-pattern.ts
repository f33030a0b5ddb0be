type Json = Record<string, unknown>;

/**
 * True when `event` matches an EventBridge event pattern (also the syntax of SNS filter policies):
 * every field of the pattern must match, arrays list alternatives, and the content filters
 * `prefix`, `suffix`, `anything-but`, `exists`, `numeric`, `equals-ignore-case` and `wildcard` apply.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export function matchesPattern(pattern: Json, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = event && typeof event === 'object' ? (event as Json)[field] : undefined;
    if ((field === '$or' || field === '$and') && Array.isArray(expected)) {
      const parts = expected as Json[];
      return field === '$or'
        ? parts.some((p) => matchesPattern(p, event))
        : parts.every((p) => matchesPattern(p, event));
    }
    if (Array.isArray(expected)) return matchesAlternatives(expected, actual);
    if (expected && typeof expected === 'object') return matchesPattern(expected as Json, actual);
    return false;
  });
}

function matchesAlternatives(alternatives: readonly unknown[], actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return alternatives.some((alternative) => {
    if (alternative && typeof alternative === 'object') {
      const filter = alternative as Json;
      if ('exists' in filter) return filter.exists ? actual !== undefined : actual === undefined;
      return actual !== undefined && values.some((value) => matchesFilter(filter, value));
    }
    return actual !== undefined && values.some((value) => value === alternative);
  });
}

function matchesFilter(filter: Json, value: unknown): boolean {
  if ('prefix' in filter) {
    const prefix = filter.prefix;
    if (prefix && typeof prefix === 'object') {
      const ci = (prefix as Json)['equals-ignore-case'];
      return typeof value === 'string' && value.toLowerCase().startsWith(String(ci).toLowerCase());
    }
    return typeof value === 'string' && value.startsWith(String(prefix));
  }
  if ('suffix' in filter) return typeof value === 'string' && value.endsWith(String(filter.suffix));
  if ('equals-ignore-case' in filter) {
    return (
      typeof value === 'string' && value.toLowerCase() === String(filter['equals-ignore-case']).toLowerCase()
    );
  }
  if ('wildcard' in filter) {
    const regex = new RegExp(
      `^${String(filter.wildcard)
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return typeof value === 'string' && regex.test(value);
  }
  if ('anything-but' in filter) {
    const excluded = filter['anything-but'];
    if (Array.isArray(excluded)) return !excluded.includes(value);
    if (excluded && typeof excluded === 'object') return !matchesFilter(excluded as Json, value);
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
