import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { planComment } from '#tools/plan-review/plan-comment.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

describe('tools/plan-review/README.md', () => {
  it('shows the comment that plan:comment renders today for the example fixtures', () => {
    const readme = readFileSync(join(REPO_ROOT, 'tools', 'plan-review', 'README.md'), 'utf8');
    const example = readme.match(
      /<!-- review-example:start -->\n`````markdown\n([\s\S]*?)\n`````\n<!-- review-example:end -->/,
    );

    const rendered = planComment(
      [
        '--stack',
        'dev',
        'test/fixtures/plans/iam-wildcard.json',
        '--stack',
        'prod',
        'test/fixtures/plans/replace-delete-create.json',
      ],
      (path) => readFileSync(join(REPO_ROOT, path), 'utf8'),
    );

    expect(readme).to.include('## Reviewing infrastructure changes');
    expect(example?.[1]).to.equal(rendered);
  });
});
