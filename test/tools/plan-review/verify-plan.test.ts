import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SynthOutputError } from '#tools/plan-review/tfjson.ts';
import { verifyPlannedConfig } from '#tools/plan-review/verify-plan.ts';

describe('verify-plan', () => {
  let dir: string;
  const config = (memory: number) =>
    JSON.stringify({
      '//': { metadata: { version: '0.21.0' } },
      resource: {
        aws_lambda_function: {
          fn: { function_name: 'f', memory_size: memory, '//': { metadata: { path: 'x' } } },
        },
      },
    });
  const writeStack = (root: string, stack: string, memory: number, planned: boolean) => {
    mkdirSync(join(dir, root, stack), { recursive: true });
    writeFileSync(join(dir, root, stack, 'cdk.tf.json'), config(memory));
    if (planned) writeFileSync(join(dir, root, stack, 'tfplan'), 'binary plan');
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verify-plan-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a commit that synthesizes the planned configuration', () => {
    writeStack('planned', 'dev', 128, true);
    writeStack('planned', 'local', 128, false);
    writeStack('cdktf.out/stacks', 'dev', 128, false);

    const result = verifyPlannedConfig(join(dir, 'planned'), join(dir, 'cdktf.out'));

    expect(result).to.deep.equal({
      ok: true,
      report: 'dev: the configuration of this commit is the one that was planned.',
    });
  });

  it('refuses a commit whose configuration differs, and shows how', () => {
    writeStack('planned', 'dev', 128, true);
    writeStack('cdktf.out/stacks', 'dev', 256, false);

    const result = verifyPlannedConfig(join(dir, 'planned'), join(dir, 'cdktf.out'));

    expect(result.ok).to.equal(false);
    expect(result.report).to.include(
      'dev: the configuration of this commit differs from the one that was planned',
    );
    expect(result.report).to.include('memory_size = 128 -> 256');
  });

  it('fails clearly when the artifact holds no plan', () => {
    writeStack('planned', 'dev', 128, false);
    writeStack('cdktf.out/stacks', 'dev', 128, false);

    expect(() => verifyPlannedConfig(join(dir, 'planned'), join(dir, 'cdktf.out'))).to.throw(
      SynthOutputError,
      /No planned stack/,
    );
  });
});
