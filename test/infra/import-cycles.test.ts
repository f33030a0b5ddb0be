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

  it('reads the edges of local/ through its folder and file aliases', () => {
    const graph = importGraph(ROOT, ['local']);

    expect([...(graph.get('local/cloud.ts') ?? [])]).to.include.members([
      'local/emulators/s3/index.ts',
      'local/synthesized-stack.ts',
      'local/cloud-types.ts',
    ]);
  });

  for (const folder of ['infra', 'local', 'shared', 'functions', 'tools', 'bench']) {
    it(`has none among the files of ${folder}/`, () => {
      const cycle = findCycle(importGraph(ROOT, [folder]));

      expect(cycle?.join(' → '), 'import circle').to.equal(undefined);
    });
  }

  it('has none across the folders either', () => {
    const cycle = findCycle(importGraph(ROOT, ['infra', 'local', 'shared', 'functions', 'tools', 'bench']));

    expect(cycle?.join(' → '), 'import circle').to.equal(undefined);
  });
});
