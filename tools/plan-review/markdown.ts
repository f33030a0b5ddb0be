/**
 * Markdown for pull-request comments: escaping, tables of resource changes, IAM call-outs,
 * and fitting everything under GitHub's comment size limit.
 */
import { SET_FIELDS, type StatementChange } from './iam.ts';
import { type AttributeChange, UNKNOWN } from './values.ts';

/** Hidden marker that lets the workflow find and update its earlier comment instead of adding one. */
export const COMMENT_MARKER = '<!-- 24-hour-video:plan -->';
/** GitHub rejects comment bodies of 65,536 characters or more. */
export const COMMENT_LIMIT = 65_536;

/** What happens to one resource, in the order reviewers should read them. */
export type RowAction =
  | 'delete'
  | 'replace'
  | 'create'
  | 'update'
  | 'read'
  | 'forget'
  | 'drift-update'
  | 'drift-delete';

/** One resource line of a report. */
export interface ResourceRow {
  address: string;
  action: RowAction;
  /** Human description of the action, e.g. `destroy, then create`. */
  detail?: string;
  changes: AttributeChange[];
  /** Paths (formatted) of attributes that force replacement. */
  forcing: ReadonlySet<string>;
  iam: StatementChange[];
  notes: string[];
}

/** Display data for each action: symbol in diffs, emoji and heading in tables. */
export const ACTION_INFO: Record<RowAction, { symbol: string; emoji: string; heading: string }> = {
  delete: { symbol: '-', emoji: '🗑️', heading: 'Destroy' },
  replace: { symbol: '-/+', emoji: '♻️', heading: 'Replace' },
  create: { symbol: '+', emoji: '➕', heading: 'Create' },
  update: { symbol: '~', emoji: '✏️', heading: 'Update in place' },
  read: { symbol: '<=', emoji: '📖', heading: 'Read during apply' },
  forget: { symbol: '.', emoji: '👋', heading: 'Forget (removed from state, not destroyed)' },
  'drift-update': { symbol: '~', emoji: '🌀', heading: 'Changed outside Terraform' },
  'drift-delete': { symbol: '-', emoji: '🌀', heading: 'Deleted outside Terraform' },
};

/** Escapes text for Markdown/HTML outside code spans (also safe in table cells). */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([\\`*_[\]])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** An inline code span that survives backticks, pipes and newlines inside the text (also in tables). */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, '⏎').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run in the body. */
export function fence(body: string, language = ''): string {
  const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${language}\n${body}${body.endsWith('\n') ? '' : '\n'}${ticks}`;
}

/** Shortens a display value for a table cell. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Shortens both sides of a change alike, skipping a long common prefix so the difference stays visible. */
export function clipPair(before: string, after: string, max = 60): [string, string] {
  if (before.length <= max && after.length <= max) return [before, after];
  let common = 0;
  while (common < before.length && common < after.length && before[common] === after[common]) common++;
  const skip = common > 24 ? common - 12 : 0;
  const cut = (text: string) => clip(skip > 0 ? `…${text.slice(skip)}` : text, max);
  return [cut(before), cut(after)];
}

/** Renders a Markdown table. Cells must already be escaped. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function describeChange(row: ResourceRow, change: AttributeChange): string {
  const forces = row.forcing.has(change.path) ? ' **(forces replacement)**' : '';
  if (row.action === 'create') return `${code(change.path)} = ${code(clip(change.after))}`;
  const [before, after] = clipPair(change.before, change.after);
  return `${code(change.path)}: ${code(before)} → ${code(after)}${forces}`;
}

function attributesCell(row: ResourceRow, maxAttributes: number): string {
  if (row.action === 'delete' || row.action === 'forget' || row.action === 'drift-delete') {
    return row.notes.map(escapeText).join('<br>') || '—';
  }
  // Forcing attributes first, then known values, then values only known after apply.
  const rank = (c: AttributeChange) => (row.forcing.has(c.path) ? 0 : c.after === UNKNOWN ? 2 : 1);
  const ordered = [...row.changes].sort((a, b) => rank(a) - rank(b));
  const shown = ordered.slice(0, maxAttributes).map((c) => describeChange(row, c));
  if (ordered.length > maxAttributes) shown.push(`… and ${ordered.length - maxAttributes} more`);
  if (row.iam.length > 0)
    shown.push(`IAM: ${row.iam.length} statement change${row.iam.length === 1 ? '' : 's'} (below)`);
  shown.push(...row.notes.map(escapeText));
  return shown.join('<br>') || '—';
}

/** Replacement group headings, for reports where the plan's words would claim too much. */
export type Headings = Partial<Record<RowAction, string>>;

/** Order in which action groups are listed. */
export const ACTION_ORDER: readonly RowAction[] = [
  'delete',
  'replace',
  'create',
  'update',
  'read',
  'forget',
  'drift-delete',
  'drift-update',
];

/**
 * Tables of resources grouped by action, at most `maxRows` rows in all.
 * Rows left out are counted, so nothing disappears silently.
 */
export function renderRowTables(
  rows: readonly ResourceRow[],
  maxRows: number,
  headings: Headings = {},
  maxAttributes = 6,
): string {
  const parts: string[] = [];
  let budget = maxRows;
  for (const action of ACTION_ORDER) {
    const group = rows.filter((row) => row.action === action);
    if (group.length === 0) continue;
    const info = ACTION_INFO[action];
    parts.push(`**${info.emoji} ${headings[action] ?? info.heading} (${group.length})**`);
    const shown = group.slice(0, Math.max(0, budget));
    budget -= shown.length;
    if (shown.length > 0) {
      parts.push(
        table(
          ['resource', 'changed attributes'],
          shown.map((row) => [
            `${code(row.address)}${row.detail ? `<br><sub>${escapeText(row.detail)}</sub>` : ''}`,
            attributesCell(row, maxAttributes),
          ]),
        ),
      );
    }
    if (shown.length < group.length) {
      parts.push(`_… ${group.length - shown.length} more not shown here; see the full listing below._`);
    }
  }
  return parts.join('\n\n');
}

/** Bullet list of IAM statement changes; new wildcards are flagged. */
export function renderIam(rows: readonly ResourceRow[], maxItems = Number.POSITIVE_INFINITY): string {
  const items: string[] = [];
  for (const row of rows) {
    for (const change of row.iam) {
      const parts: string[] = [];
      for (const [field, name] of SET_FIELDS) {
        const plus = change.added[field];
        const minus = change.removed[field];
        if (plus) parts.push(`**+ ${name}** ${plus.map((item) => code(item)).join(', ')}`);
        if (minus) parts.push(`**− ${name}** ${minus.map((item) => code(item)).join(', ')}`);
      }
      if (change.effectChanged) parts.push(`**effect is now ${escapeText(change.effect)}**`);
      if (change.conditionChanged) parts.push('**condition changed**');
      const wildcard =
        change.newWildcards.length > 0
          ? ` ⚠️ **new wildcard:** ${change.newWildcards.map((item) => code(item)).join(', ')}`
          : '';
      items.push(
        `- ${code(row.address)} ${code(change.attribute)} statement ${code(change.label)} (${escapeText(change.effect)}, ${change.kind})${wildcard}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`,
      );
    }
  }
  if (items.length > maxItems) {
    const hidden = items.length - maxItems;
    return [
      ...items.slice(0, maxItems),
      `- _… ${hidden} more statement changes; see the full listing below._`,
    ].join('\n');
  }
  return items.join('\n');
}

/** Plain-text listing of every row and attribute, for the folded full listing. */
export function renderFullText(rows: readonly ResourceRow[], headings: Headings = {}): string {
  const lines: string[] = [];
  for (const action of ACTION_ORDER) {
    for (const row of rows.filter((r) => r.action === action)) {
      const { symbol } = ACTION_INFO[row.action];
      const heading = headings[row.action] ?? ACTION_INFO[row.action].heading;
      lines.push(`${symbol} ${row.address}: ${heading.toLowerCase()}${row.detail ? ` (${row.detail})` : ''}`);
      const width = Math.min(40, Math.max(0, ...row.changes.map((c) => c.path.length)));
      for (const change of row.changes) {
        const name = change.path.padEnd(width);
        const forces = row.forcing.has(change.path) ? '   # forces replacement' : '';
        const text =
          row.action === 'create'
            ? change.after
            : row.action === 'delete' || row.action === 'drift-delete'
              ? change.before
              : `${change.before} -> ${change.after}`;
        lines.push(`${symbol}     ${name} = ${text}${forces}`);
      }
      for (const iam of row.iam) {
        const bits = SET_FIELDS.flatMap(([field, name]) => [
          ...(iam.added[field] ?? []).map((item) => `+${name} ${item}`),
          ...(iam.removed[field] ?? []).map((item) => `-${name} ${item}`),
        ]);
        lines.push(`${symbol}     # IAM ${iam.attribute} ${iam.label} (${iam.kind}): ${bits.join(', ')}`);
      }
      for (const note of row.notes) lines.push(`${symbol}     # ${note}`);
    }
  }
  return lines.join('\n');
}

/** A folded section of the comment. */
export interface FoldedSection {
  summary: string;
  body: string;
  language?: string;
}

function fold(section: FoldedSection, body: string): string {
  return `<details><summary>${section.summary}</summary>\n\n${fence(body, section.language)}\n\n</details>`;
}

/** Cuts text at a line boundary so it fits `max` characters, and says what was left out. */
export function truncateLines(text: string, max: number, what: string): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const noteFor = (omitted: number) =>
    `… truncated: ${omitted} more line${omitted === 1 ? '' : 's'}. ${what}`;
  let kept = 0;
  let size = 0;
  const reserve = noteFor(lines.length).length + 1;
  while (kept < lines.length && size + (lines[kept] as string).length + 1 + reserve <= max) {
    size += (lines[kept] as string).length + 1;
    kept++;
  }
  return [...lines.slice(0, kept), noteFor(lines.length - kept)].join('\n');
}

/**
 * Assembles the comment: the main part (re-rendered with fewer table rows until it fits) followed by
 * folded sections that share whatever room is left, so the whole stays under {@link COMMENT_LIMIT}.
 */
export function fitComment(
  renderMain: (maxRows: number) => string,
  sections: readonly FoldedSection[],
  truncatedHint: string,
  limit = COMMENT_LIMIT,
): string {
  const reservePerSection = 400;
  // Keep a quarter of the room for the folded listings: past a few hundred rows, tables help less than the full text.
  const room = Math.min(
    limit - 1 - reservePerSection * sections.length,
    sections.length > 0 ? Math.floor(limit * 0.75) : limit,
  );
  let main = '';
  for (const maxRows of [Number.POSITIVE_INFINITY, 500, 200, 100, 50, 20, 10, 0]) {
    main = renderMain(maxRows);
    if (main.length <= room) break;
  }
  main = truncateLines(main, room, truncatedHint);
  let left = limit - 1 - main.length - 2;
  const bodies = sections.map((section) => section.body);
  // Fair share: small sections keep everything, the rest split what remains evenly.
  const overhead = sections.map((section) => fold(section, '').length + 2 + 8);
  const order = sections
    .map((_, i) => i)
    .sort((a, b) => (bodies[a] as string).length - (bodies[b] as string).length);
  const out: string[] = new Array(sections.length);
  order.forEach((i, position) => {
    const share = Math.floor(left / (sections.length - position)) - (overhead[i] as number);
    const body = truncateLines(bodies[i] as string, Math.max(0, share), truncatedHint);
    const text = fold(sections[i] as FoldedSection, body);
    out[i] = text;
    left -= text.length + 2;
  });
  return [main, ...out].join('\n\n');
}
