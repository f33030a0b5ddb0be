/**
 * Renders the credential-free review: differences between two synthesized configurations, per stack.
 */
import {
  COMMENT_MARKER,
  code,
  escapeText,
  type FoldedSection,
  fitComment,
  type Headings,
  type ResourceRow,
  renderFullText,
  renderIam,
  renderRowTables,
  table,
} from './markdown.ts';

/** The rows of one stack, and whether the stack itself is new or gone. */
export interface StackDiff {
  stack: string;
  status: 'added' | 'removed' | 'both';
  rows: ResourceRow[];
}

/** What the diff was computed against, for the comment's first lines. */
export interface DiffContext {
  baseLabel: string;
  baseSha: string;
  note?: string;
}

const HEADINGS: Headings = {
  create: 'Added',
  delete: 'Removed: Terraform will destroy these',
  update: 'Changed: updated in place or replaced, a plan tells which',
};

const count = (rows: readonly ResourceRow[], action: ResourceRow['action']) =>
  rows.filter((row) => row.action === action).length;

/** Renders the diff of every stack as one comment, under GitHub's size limit. */
export function renderDiffComment(
  stacks: readonly StackDiff[],
  context: DiffContext,
  limit?: number,
): string {
  const hint = 'Run npm run infra:diff locally for the complete listing.';
  const renderMain = (maxRows: number): string => {
    const parts = [COMMENT_MARKER, '## Infrastructure diff (synthesized configuration, no AWS credentials)'];
    parts.push(
      `Compared \`cdk.tf.json\` of this change with ${escapeText(context.baseLabel)} (${code(context.baseSha.slice(0, 7))}). ` +
        'This is not a Terraform plan: it shows what the configuration asks for, not what AWS will do, so ' +
        'replacements forced by the provider and drift are not visible here. A maintainer-run plan shows them.',
    );
    if (context.note) parts.push(`> [!NOTE]\n> ${escapeText(context.note)}`);
    parts.push(
      table(
        ['stack', 'added', 'removed', 'changed'],
        stacks.map(({ stack, status, rows }) => [
          `${code(stack)}${status === 'both' ? '' : ` (stack ${status})`}`,
          String(count(rows, 'create')),
          count(rows, 'delete') > 0 ? `**${count(rows, 'delete')}** ⚠️` : '0',
          String(count(rows, 'update')),
        ]),
      ),
    );
    for (const { stack, rows } of stacks) {
      parts.push(
        `### Stack ${code(stack)}: ${count(rows, 'create')} added, ${count(rows, 'delete')} removed, ${count(rows, 'update')} changed`,
      );
      if (rows.length === 0) {
        parts.push('No changes to the synthesized configuration.');
        continue;
      }
      const removed = rows.filter((row) => row.action === 'delete');
      if (removed.length > 0) {
        parts.push(
          [
            '> [!WARNING]',
            `> **${removed.length} block${removed.length === 1 ? '' : 's'} removed.** Terraform will destroy removed resources on apply.`,
            ...removed.slice(0, maxRows).map((row) => `> - ${code(row.address)}`),
            ...(removed.length > maxRows ? [`> - … and ${removed.length - maxRows} more`] : []),
          ].join('\n'),
        );
      }
      parts.push(renderRowTables(rows, maxRows, HEADINGS));
      const iam = renderIam(rows, maxRows);
      if (iam) parts.push(`#### IAM changes\n\n${iam}`);
    }
    return parts.join('\n\n');
  };
  const sections: FoldedSection[] = stacks
    .filter(({ rows }) => rows.length > 0)
    .map(({ stack, rows }) => {
      const body = renderFullText(rows, HEADINGS);
      return {
        summary: `Full diff of <code>${escapeText(stack)}</code> (${body.split('\n').length} lines)`,
        body,
        language: 'diff',
      };
    });
  return fitComment(renderMain, sections, hint, limit);
}
