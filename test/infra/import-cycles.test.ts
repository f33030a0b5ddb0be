import { join } from 'node:path';
import { expect } from 'chai';
import { importGraph } from '../support/import-graph.ts';
import { findCycle } from '../support/terraform-graph.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('import circles', () => {
  it('finds a circle through a path alias, so the check below can fail', () => {
    const graph = new Map([
      ['infra/a.ts', new Set(['infra/b.ts'])],
      ['infra/b.ts', new Set(['infra/c.ts'])],
      ['infra/c.ts', new Set(['infra/a.ts'])],
    ]);

    expect(findCycle(graph)).to.deep.equal(['infra/a.ts', 'infra/b.ts', 'infra/c.ts', 'infra/a.ts']);
  });

  it('reads the edges of infra/, type-only imports included', () => {
    const graph = importGraph(ROOT, ['infra']);

    expect([...(graph.get('infra/constructs/transcoder/types.ts') ?? [])]).to.include(
      'infra/constructs/encryption.ts',
    );
  });

  it('has none among the files of infra/', () => {
    const cycle = findCycle(importGraph(ROOT, ['infra']));

    expect(cycle?.join(' → '), 'import circle').to.equal(undefined);
  });
});
