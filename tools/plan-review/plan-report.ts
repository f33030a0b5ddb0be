/**
 * Turns parsed JSON plans (one per stack) into the review comment.
 */
import { diffPolicies } from './iam.ts';
import {
  ACTION_INFO,
  COMMENT_MARKER,
  clip,
  clipPair,
  code,
  escapeText,
  type FoldedSection,
  fitComment,
  type ResourceRow,
  type RowAction,
  renderFullText,
  renderIam,
  renderRowTables,
  table,
} from './markdown.ts';
import type { Change, Plan, ResourceChange } from './plan.ts';
import { attributeChanges, displayValue, formatPath, maskedAt, SENSITIVE, UNKNOWN } from './values.ts';

/** A plan and the stack it belongs to. */
export interface StackPlan {
  stack: string;
  plan: Plan;
}

/** Counts for a stack's header; add and destroy do not include replacements, which are counted apart. */
export interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  drift: number;
}

const REASONS: Record<string, string> = {
  replace_because_cannot_update: 'an attribute that cannot be updated in place changed',
  replace_because_tainted: 'the object is tainted (a previous apply failed part-way)',
  replace_by_request: 'replacement was requested with -replace',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  delete_because_no_resource_config: 'its resource block was removed from the configuration',
  delete_because_no_module: 'its module was removed from the configuration',
  delete_because_wrong_repetition: 'count/for_each was added or removed',
  delete_because_count_index: 'its count index is now out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'a moved block points at an address that does not exist',
  read_because_config_unknown: 'its configuration depends on values known only after apply',
  read_because_dependency_pending: 'it depends on a resource with pending changes',
  read_because_check_nested: 'it belongs to a check block',
};

/** Explains an `action_reason` in words; unknown reasons are shown as they are. */
export function describeReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  return REASONS[reason] ?? reason;
}

/** Classifies a change's action list. */
export function rowAction(actions: readonly string[]): RowAction | 'no-op' {
  const key = actions.join(',');
  if (key === 'delete,create' || key === 'create,delete') return 'replace';
  if (key === 'create' || key === 'delete' || key === 'update' || key === 'read' || key === 'forget')
    return key;
  return 'no-op';
}

function toRow(resource: ResourceChange, drift: boolean): ResourceRow | undefined {
  const change: Change = resource.change;
  const action = rowAction(change.actions);
  const imported = change.importing !== undefined;
  const moved = resource.previous_address !== undefined && resource.previous_address !== resource.address;
  if (action === 'no-op' && !imported && !moved) return undefined;
  const changes = attributeChanges(change.before, change.after, {
    beforeSensitive: change.before_sensitive,
    afterSensitive: change.after_sensitive,
    afterUnknown: change.after_unknown,
  });
  const masked = (steps: readonly (string | number)[]) =>
    maskedAt(change.after_unknown, steps) ||
    maskedAt(change.before_sensitive, steps) ||
    maskedAt(change.after_sensitive, steps);
  const iam =
    action === 'delete' || action === 'forget'
      ? []
      : diffPolicies(change.before, change.after, resource.type, masked);
  const notes: string[] = [];
  if (moved) notes.push(`moved from ${resource.previous_address}`);
  if (imported) notes.push(`imported${change.importing?.id ? ` (id ${change.importing.id})` : ''}`);
  if (resource.deposed) notes.push(`deposed object ${resource.deposed}`);
  const reason = describeReason(resource.action_reason);
  let detail: string | undefined;
  if (action === 'replace') {
    detail =
      change.actions[0] === 'delete'
        ? 'destroy, then create: the resource is missing in between'
        : 'create the replacement, then destroy the old one (create_before_destroy)';
  }
  if (reason && (action === 'replace' || action === 'delete' || action === 'read')) {
    detail = detail ? `${detail}; because ${reason}` : `because ${reason}`;
  }
  const rowActionValue: RowAction = drift
    ? action === 'delete'
      ? 'drift-delete'
      : 'drift-update'
    : action === 'no-op'
      ? 'update'
      : action;
  return {
    address: resource.address,
    action: rowActionValue,
    detail,
    changes,
    forcing: new Set((change.replace_paths ?? []).map((path) => formatPath(path))),
    iam,
    notes,
  };
}

/** Builds the rows of planned changes and of drift for one plan. */
export function planRows(plan: Plan): { changes: ResourceRow[]; drift: ResourceRow[] } {
  const build = (list: ResourceChange[] | undefined, drift: boolean) =>
    (list ?? [])
      .map((resource) => toRow(resource, drift))
      .filter((row): row is ResourceRow => row !== undefined);
  return { changes: build(plan.resource_changes, false), drift: build(plan.resource_drift, true) };
}

/** Counts a plan's changes the way the header shows them. */
export function countPlan(plan: Plan): PlanCounts {
  const counts: PlanCounts = { add: 0, change: 0, destroy: 0, replace: 0, drift: 0 };
  for (const resource of plan.resource_changes ?? []) {
    const action = rowAction(resource.change.actions);
    if (action === 'create') counts.add++;
    else if (action === 'update') counts.change++;
    else if (action === 'delete') counts.destroy++;
    else if (action === 'replace') counts.replace++;
  }
  counts.drift = (plan.resource_drift ?? []).filter((r) => rowAction(r.change.actions) !== 'no-op').length;
  return counts;
}

function outputDisplay(value: unknown, sensitive: unknown, unknown: unknown): string {
  if (unknown === true) return UNKNOWN;
  if (sensitive === true) return SENSITIVE;
  return displayValue(value);
}

function renderOutputs(plan: Plan): string {
  const rows = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => rowAction(change.actions) !== 'no-op')
    .map(([name, change]) => [
      code(name),
      escapeText(rowAction(change.actions)),
      code(clip(outputDisplay(change.before, change.before_sensitive, undefined))),
      code(clip(outputDisplay(change.after, change.after_sensitive, change.after_unknown))),
    ]);
  return rows.length === 0 ? '' : table(['output', 'action', 'before', 'after'], rows);
}

function renderWarnings(rows: readonly ResourceRow[], maxRows: number): string {
  const risky = rows.filter((row) => row.action === 'delete' || row.action === 'replace');
  if (risky.length === 0) return '';
  const destroyed = risky.filter((row) => row.action === 'delete').length;
  const replaced = risky.length - destroyed;
  const lines = [
    '> [!WARNING]',
    `> **${destroyed} to destroy, ${replaced} to replace.** Each of these deletes an existing object, with any data in it. Check them one by one.`,
  ];
  for (const row of risky.slice(0, maxRows)) {
    const forcing = row.changes.filter((c) => row.forcing.has(c.path));
    const forced =
      forcing.length > 0
        ? `; forced by ${forcing
            .map((c) => {
              const [before, after] = clipPair(c.before, c.after, 40);
              return `${code(c.path)} ${code(before)} → ${code(after)}`;
            })
            .join(', ')}`
        : row.forcing.size > 0
          ? `; forced by ${[...row.forcing].map((p) => code(p)).join(', ')}`
          : '';
    lines.push(
      `> - ${ACTION_INFO[row.action].emoji} **${row.action === 'delete' ? 'destroy' : 'replace'}** ${code(row.address)}${row.detail ? `: ${escapeText(row.detail)}` : ''}${forced}`,
    );
  }
  if (risky.length > maxRows) lines.push(`> - … and ${risky.length - maxRows} more (full listing below)`);
  return lines.join('\n');
}

function headline(counts: PlanCounts): string {
  return `${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy, ${counts.replace} to replace`;
}

/** Options for {@link renderPlanComment}. */
export interface PlanCommentOptions {
  limit?: number;
  /** Where the complete plans can be found, named when something had to be truncated. */
  artifactHint?: string;
}

/**
 * Renders one Markdown comment for the plans of several stacks.
 * Stays under GitHub's comment limit by shortening tables, then truncating the folded full listings.
 */
export function renderPlanComment(stacks: readonly StackPlan[], options: PlanCommentOptions = {}): string {
  const prepared = stacks.map(({ stack, plan }) => ({
    stack,
    plan,
    counts: countPlan(plan),
    ...planRows(plan),
  }));
  const hint = options.artifactHint ?? 'The complete plans are in the workflow run\u2019s plan artifacts.';
  const renderMain = (maxRows: number): string => {
    const parts = [COMMENT_MARKER, '## Terraform plan'];
    parts.push(
      table(
        ['stack', 'add', 'change', 'destroy', 'replace', 'drift'],
        prepared.map(({ stack, counts }) => [
          code(stack),
          String(counts.add),
          String(counts.change),
          counts.destroy > 0 ? `**${counts.destroy}** ⚠️` : '0',
          counts.replace > 0 ? `**${counts.replace}** ⚠️` : '0',
          String(counts.drift),
        ]),
      ),
    );
    for (const { stack, plan, counts, changes, drift } of prepared) {
      parts.push(`### Stack ${code(stack)}: ${headline(counts)}`);
      if (plan.errored)
        parts.push('> [!CAUTION]\n> Planning **failed**; this plan is incomplete and cannot be applied.');
      if (changes.length === 0) parts.push('No changes. The infrastructure matches the configuration.');
      const warnings = renderWarnings(changes, maxRows);
      if (warnings) parts.push(warnings);
      if (changes.length > 0) parts.push(renderRowTables(changes, maxRows));
      const iam = renderIam(changes, maxRows);
      if (iam) parts.push(`#### IAM changes\n\n${iam}`);
      const outputs = renderOutputs(plan);
      if (outputs) parts.push(`#### Output changes\n\n${outputs}`);
      if (drift.length > 0) {
        parts.push(
          `#### Drift: changed outside Terraform (${drift.length})\n\n` +
            'These objects were changed outside Terraform since the last apply. They are not planned changes; ' +
            'the plan above already accounts for them.\n\n' +
            renderRowTables(drift, maxRows),
        );
      }
    }
    return parts.join('\n\n');
  };
  const sections: FoldedSection[] = prepared
    .filter(({ changes, drift }) => changes.length > 0 || drift.length > 0)
    .map(({ stack, changes, drift }) => {
      const body = [renderFullText(changes), drift.length > 0 ? `# drift\n${renderFullText(drift)}` : '']
        .filter(Boolean)
        .join('\n\n');
      return {
        summary: `Full plan of <code>${escapeText(stack)}</code> (${body.split('\n').length} lines)`,
        body,
        language: 'diff',
      };
    });
  return fitComment(renderMain, sections, hint, options.limit);
}
