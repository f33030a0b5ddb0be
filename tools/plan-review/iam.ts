import { isObject } from '#shared/json';
/**
 * IAM policy documents: find them in attribute values, normalise their statements, and say which
 * statements gain or lose actions, resources or principals, and which wildcards are new.
 * Policies reach us as JSON strings (`policy`, `assume_role_policy`, `inline_policy[].policy`) in plans,
 * and additionally as `statement` blocks of `aws_iam_policy_document` data sources in synthesized configuration.
 */

/** A statement reduced to comparable sets. */
export interface Statement {
  sid?: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  principals: string[];
  notPrincipals: string[];
  /** Canonical JSON of the condition block, `''` when none. */
  condition: string;
}

/** What changed in one statement between two versions of a policy. */
export interface StatementChange {
  /** Attribute that holds the policy, e.g. `assume_role_policy` or `inline_policy[0].policy`. */
  attribute: string;
  /** `Sid`, or a description when the statement has none. */
  label: string;
  effect: string;
  kind: 'added' | 'removed' | 'changed';
  added: Partial<Record<SetField, string[]>>;
  removed: Partial<Record<SetField, string[]>>;
  conditionChanged: boolean;
  effectChanged: boolean;
  /** Wildcard actions, resources or principals this change introduces. */
  newWildcards: string[];
}

/** The set-valued fields of a statement, in the order they are reported. */
export type SetField =
  | 'actions'
  | 'notActions'
  | 'resources'
  | 'notResources'
  | 'principals'
  | 'notPrincipals';
/** Fields in report order, with the label reviewers read. */
export const SET_FIELDS: readonly [SetField, string][] = [
  ['actions', 'actions'],
  ['notActions', 'NotAction'],
  ['resources', 'resources'],
  ['notResources', 'NotResource'],
  ['principals', 'principals'],
  ['notPrincipals', 'NotPrincipal'],
];

const list = (value: unknown): string[] => {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return [...new Set(items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))))].sort();
};

function principalList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value === '*' ? '*' : value];
  if (!isObject(value)) return list(value);
  return Object.entries(value)
    .flatMap(([type, ids]) => list(ids).map((id) => `${type}:${id}`))
    .sort();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** True when the string is a JSON IAM policy document (an object with `Statement`). */
export function isPolicyDocument(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') || !trimmed.includes('Statement')) return false;
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    return isObject(parsed) && 'Statement' in parsed;
  } catch {
    return false;
  }
}

/** Normalises the statements of a JSON policy document (string or parsed object). */
export function statementsOf(document: unknown): Statement[] {
  const parsed = typeof document === 'string' ? (JSON.parse(document) as unknown) : document;
  if (!isObject(parsed)) return [];
  const raw = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return raw.filter(isObject).map((s) => ({
    sid: typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : undefined,
    effect: typeof s.Effect === 'string' ? s.Effect : 'Allow',
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    principals: principalList(s.Principal),
    notPrincipals: principalList(s.NotPrincipal),
    condition: s.Condition === undefined ? '' : canonical(s.Condition),
  }));
}

/** Normalises the `statement` blocks of an `aws_iam_policy_document` data source (HCL/tf.json shape). */
export function statementsOfBlocks(blocks: unknown): Statement[] {
  const raw = Array.isArray(blocks) ? blocks : blocks === undefined ? [] : [blocks];
  const principalsOf = (value: unknown): string[] =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value])
      .filter(isObject)
      .flatMap((p) => list(p.identifiers).map((id) => `${String(p.type)}:${id}`))
      .sort();
  return raw.filter(isObject).map((s) => ({
    sid: typeof s.sid === 'string' && s.sid !== '' ? s.sid : undefined,
    effect: typeof s.effect === 'string' ? s.effect : 'Allow',
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    notResources: list(s.not_resources),
    principals: principalsOf(s.principals),
    notPrincipals: principalsOf(s.not_principals),
    condition: s.condition === undefined ? '' : canonical(s.condition),
  }));
}

/**
 * Finds every policy document inside a resource's attribute value, keyed by attribute path.
 * `resourceType` lets `aws_iam_policy_document` statement blocks count as a document too.
 */
export function findPolicies(
  value: unknown,
  resourceType?: string,
): Map<string, { steps: (string | number)[]; statements: Statement[] }> {
  const found = new Map<string, { steps: (string | number)[]; statements: Statement[] }>();
  if (resourceType === 'aws_iam_policy_document' && isObject(value) && value.statement !== undefined) {
    found.set('statement', { steps: ['statement'], statements: statementsOfBlocks(value.statement) });
  }
  const visit = (node: unknown, path: string, steps: (string | number)[]): void => {
    if (typeof node === 'string') {
      if (isPolicyDocument(node)) found.set(path, { steps, statements: statementsOf(node) });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, `${path}[${i}]`, [...steps, i]);
      });
    } else if (isObject(node)) {
      for (const [key, item] of Object.entries(node)) {
        visit(item, path === '' ? key : `${path}.${key}`, [...steps, key]);
      }
    }
  };
  visit(value, '', []);
  return found;
}

/** True when an action, resource or principal matches more than one thing by a `*` or `?`. */
export function isWildcard(item: string): boolean {
  return item.includes('*') || item.includes('?');
}

function label(statement: Statement, index: number): string {
  if (statement.sid) return statement.sid;
  const first = statement.actions[0] ?? statement.notActions[0] ?? 'no actions';
  const more = statement.actions.length + statement.notActions.length - 1;
  return `#${index + 1} (${first}${more > 0 ? ` +${more}` : ''})`;
}

function overlap(a: Statement, b: Statement): number {
  const left = new Set([...a.actions, ...a.notActions, ...a.resources, ...a.principals]);
  let shared = 0;
  for (const item of [...b.actions, ...b.notActions, ...b.resources, ...b.principals])
    if (left.has(item)) shared++;
  return shared;
}

function compare(
  attribute: string,
  before: Statement | undefined,
  after: Statement | undefined,
  name: string,
) {
  const added: StatementChange['added'] = {};
  const removed: StatementChange['removed'] = {};
  const newWildcards: string[] = [];
  for (const [field] of SET_FIELDS) {
    const was = new Set(before?.[field] ?? []);
    const now = new Set(after?.[field] ?? []);
    const plus = [...now].filter((item) => !was.has(item));
    const minus = [...was].filter((item) => !now.has(item));
    if (plus.length > 0) added[field] = plus;
    if (minus.length > 0) removed[field] = minus;
    // NotAction/NotResource grant everything *but* the list, so they are wide by construction.
    if (field === 'actions' || field === 'resources' || field === 'principals') {
      newWildcards.push(...plus.filter(isWildcard));
    }
  }
  const change: StatementChange = {
    attribute,
    label: name,
    effect: (after ?? before)?.effect ?? 'Allow',
    kind: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
    added,
    removed,
    conditionChanged: before !== undefined && after !== undefined && before.condition !== after.condition,
    effectChanged: before !== undefined && after !== undefined && before.effect !== after.effect,
    // A new wildcard in a Deny statement narrows access; only Allow wildcards widen it.
    newWildcards: after?.effect === 'Allow' ? newWildcards : [],
  };
  return change;
}

/**
 * Compares two versions of the policy held in one attribute, statement by statement.
 * Statements pair up by `Sid`; the rest by effect, principals and conditions, then by the most shared items.
 */
export function diffStatements(
  attribute: string,
  before: readonly Statement[],
  after: readonly Statement[],
): StatementChange[] {
  const changes: StatementChange[] = [];
  const unmatchedBefore = new Map(before.map((s, i) => [i, s]));
  const pairs: [number | undefined, number | undefined][] = [];
  const unmatchedAfter: number[] = [];
  after.forEach((statement, j) => {
    const bySid =
      statement.sid === undefined
        ? undefined
        : [...unmatchedBefore].find(([, candidate]) => candidate.sid === statement.sid);
    if (bySid) {
      unmatchedBefore.delete(bySid[0]);
      pairs.push([bySid[0], j]);
    } else unmatchedAfter.push(j);
  });
  for (const j of unmatchedAfter) {
    const statement = after[j] as Statement;
    let best: [number, number] | undefined;
    for (const [i, candidate] of unmatchedBefore) {
      if (candidate.sid !== undefined && statement.sid !== undefined) continue;
      const sameShape =
        candidate.effect === statement.effect &&
        candidate.condition === statement.condition &&
        candidate.principals.join() === statement.principals.join();
      const score = overlap(candidate, statement) + (sameShape ? 0.5 : 0);
      if (score >= 1 && (best === undefined || score > best[1])) best = [i, score];
    }
    if (best) {
      unmatchedBefore.delete(best[0]);
      pairs.push([best[0], j]);
    } else pairs.push([undefined, j]);
  }
  for (const [i] of unmatchedBefore) pairs.push([i, undefined]);
  for (const [i, j] of pairs) {
    const was = i === undefined ? undefined : before[i];
    const now = j === undefined ? undefined : after[j];
    const change = compare(attribute, was, now, label((now ?? was) as Statement, j ?? i ?? 0));
    const changed =
      change.kind !== 'changed' ||
      Object.keys(change.added).length > 0 ||
      Object.keys(change.removed).length > 0 ||
      change.conditionChanged ||
      change.effectChanged;
    if (changed) changes.push(change);
  }
  return changes;
}

/**
 * Compares every policy document found in two versions of a resource's attributes.
 * `skip` leaves out attributes whose value cannot be compared (unknown until apply, or sensitive).
 */
export function diffPolicies(
  before: unknown,
  after: unknown,
  resourceType?: string,
  skip: (steps: readonly (string | number)[]) => boolean = () => false,
): StatementChange[] {
  const was = findPolicies(before, resourceType);
  const now = findPolicies(after, resourceType);
  const attributes = [...new Set([...was.keys(), ...now.keys()])].sort();
  return attributes.flatMap((attribute) => {
    const steps = (now.get(attribute) ?? was.get(attribute))?.steps ?? [];
    if (skip(steps)) return [];
    return diffStatements(
      attribute,
      was.get(attribute)?.statements ?? [],
      now.get(attribute)?.statements ?? [],
    );
  });
}
