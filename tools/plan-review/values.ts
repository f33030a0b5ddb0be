import { isObject } from '#shared/json';
/**
 * Attribute-level differences between two values, honouring Terraform's sensitive and unknown masks.
 * A mask has the shape of the value with `true` at (or above) every sensitive/unknown leaf.
 */
import { isPolicyDocument } from './iam.ts';

/** Shown instead of a sensitive value. Terraform's JSON plan holds the clear value; we never print it. */
export const SENSITIVE = '(sensitive value)';
/** Shown for a value that Terraform only learns during apply. */
export const UNKNOWN = '(known after apply)';

/** One changed leaf attribute, with both sides already rendered (and masked) for display. */
export interface AttributeChange {
  path: string;
  /** Path as steps, to match `replace_paths`. */
  steps: (string | number)[];
  before: string;
  after: string;
}

/** The masks that travel with a change. */
export interface Masks {
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
  afterUnknown?: unknown;
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

function child(mask: unknown, key: string | number): unknown {
  if (mask === true) return true;
  if (Array.isArray(mask) && typeof key === 'number') return mask[key];
  if (isObject(mask) && typeof key === 'string') return mask[key];
  return undefined;
}

/** Deep equality for JSON values; policy documents compare by meaning, not by whitespace or key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    if (isPolicyDocument(a) && isPolicyDocument(b)) return sameValue(JSON.parse(a), JSON.parse(b));
    return false;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** Formats one path step list as `a.b[0]["odd key"]`. */
export function formatPath(steps: readonly (string | number)[]): string {
  let out = '';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** Renders a value for display: JSON for data, `null` for absent, policies summarised. */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string' && isPolicyDocument(value)) {
    const statements = (JSON.parse(value) as { Statement?: unknown }).Statement;
    const count = Array.isArray(statements) ? statements.length : 1;
    return `(policy document, ${count} statement${count === 1 ? '' : 's'})`;
  }
  return JSON.stringify(value);
}

function leaf(steps: (string | number)[], before: string, after: string): AttributeChange {
  return { path: formatPath(steps), steps, before, after };
}

/**
 * Lists the leaf attributes that differ between `before` and `after`.
 * Sensitive leaves are shown as {@link SENSITIVE}, unknown ones as {@link UNKNOWN}.
 */
export function attributeChanges(before: unknown, after: unknown, masks: Masks = {}): AttributeChange[] {
  const out: AttributeChange[] = [];
  walk(before, after, masks.beforeSensitive, masks.afterSensitive, masks.afterUnknown, [], out);
  return out;
}

function walk(
  before: unknown,
  after: unknown,
  beforeSensitive: unknown,
  afterSensitive: unknown,
  afterUnknown: unknown,
  steps: (string | number)[],
  out: AttributeChange[],
): void {
  const bs = beforeSensitive === true;
  const as = afterSensitive === true;
  if (afterUnknown === true) {
    out.push(leaf(steps, bs ? SENSITIVE : displayValue(before), UNKNOWN));
    return;
  }
  if (bs || as) {
    if (bs === as && sameValue(before, after)) return;
    const absentBefore = before === undefined || before === null;
    const absentAfter = after === undefined || after === null;
    if (absentBefore && absentAfter) return;
    out.push(
      leaf(
        steps,
        absentBefore ? 'null' : bs ? SENSITIVE : displayValue(before),
        absentAfter ? 'null' : as ? SENSITIVE : displayValue(after),
      ),
    );
    return;
  }
  const beforeIsContainer = isContainer(before) && !isEmpty(before);
  const afterIsContainer = isContainer(after) && !isEmpty(after);
  const unknownIsContainer = isContainer(afterUnknown) && !isEmpty(afterUnknown);
  const kindsClash = beforeIsContainer && afterIsContainer && Array.isArray(before) !== Array.isArray(after);
  if ((beforeIsContainer || afterIsContainer || unknownIsContainer) && !kindsClash) {
    const asArray = Array.isArray(before) || Array.isArray(after) || Array.isArray(afterUnknown);
    if (asArray) {
      const length = Math.max(lengthOf(before), lengthOf(after), lengthOf(afterUnknown));
      for (let i = 0; i < length; i++) {
        walk(
          itemOf(before, i),
          itemOf(after, i),
          child(beforeSensitive, i),
          child(afterSensitive, i),
          child(afterUnknown, i),
          [...steps, i],
          out,
        );
      }
      return;
    }
    const keys = new Set([...keysOf(before), ...keysOf(after), ...keysOf(afterUnknown)]);
    for (const key of [...keys].sort()) {
      walk(
        (before as Record<string, unknown> | undefined)?.[key],
        (after as Record<string, unknown> | undefined)?.[key],
        child(beforeSensitive, key),
        child(afterSensitive, key),
        child(afterUnknown, key),
        [...steps, key],
        out,
      );
    }
    return;
  }
  if (sameValue(before, after)) return;
  out.push(leaf(steps, displayValue(before), displayValue(after)));
}

function isEmpty(value: Container): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}
function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
function itemOf(value: unknown, i: number): unknown {
  return Array.isArray(value) ? value[i] : undefined;
}
function keysOf(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

/** True when the mask marks `steps` (or one of its ancestors) as sensitive or unknown. */
export function maskedAt(mask: unknown, steps: readonly (string | number)[]): boolean {
  let node = mask;
  if (node === true) return true;
  for (const step of steps) {
    node = child(node, step);
    if (node === true) return true;
    if (node === undefined || node === null || node === false) return false;
  }
  return false;
}
