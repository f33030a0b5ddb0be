import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { REPO_ROOT } from '#tools/repo-root.ts';

interface Step {
  name?: string;
  run?: string;
}
const stepScript = (workflow: string, job: string, name: string): string => {
  const parsed = parse(readFileSync(join(REPO_ROOT, '.github/workflows', workflow), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const step = parsed.jobs[job]?.steps.find((s) => s.name === name);
  if (!step?.run) throw new Error(`${workflow}: no run step "${name}" in job ${job}`);
  return step.run;
};

/** Runs a workflow step's script the way GitHub runs `run:` (bash -eo pipefail), `bin` first on PATH. */
function runStep(script: string, cwd: string, bin: string, env: Record<string, string>) {
  writeFileSync(join(cwd, 'step.sh'), script);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(cwd, 'step.sh')], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('review workflow scripts', () => {
  let dir: string;
  let bin: string;
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-step-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('plan.yml plan step', () => {
    it('plans every stack but local and renders one comment from the JSON plans', () => {
      for (const stack of ['dev', 'local', 'prod'])
        mkdirSync(join(dir, 'cdktf.out/stacks', stack), { recursive: true });
      copyFileSync(join(REPO_ROOT, 'test/fixtures/plans/create-only.json'), join(dir, 'create-only.json'));
      stub(
        'terraform',
        `echo "$*" >> "${dir}/terraform.log"
         case "$*" in *" show -json tfplan") cat "${dir}/create-only.json";; esac`,
      );
      // npm run --silent plan:comment -- <files>: npm passes only the files to the script.
      stub(
        'npm',
        `shift 4; exec "${REPO_ROOT}/node_modules/.bin/tsx" "${REPO_ROOT}/tools/plan-review/plan-comment.ts" "$@"`,
      );

      const result = runStep(stepScript('plan.yml', 'plan', 'Terraform plan per stack'), dir, bin, {
        PLAN_STACKS: '',
      });

      expect(result.status, result.output).to.equal(0);
      const calls = readFileSync(join(dir, 'terraform.log'), 'utf8').trim().split('\n');
      expect(calls).to.deep.equal([
        '-chdir=cdktf.out/stacks/dev init -input=false -no-color',
        '-chdir=cdktf.out/stacks/dev plan -input=false -no-color -lock-timeout=5m -out=tfplan',
        '-chdir=cdktf.out/stacks/dev show -json tfplan',
        '-chdir=cdktf.out/stacks/prod init -input=false -no-color',
        '-chdir=cdktf.out/stacks/prod plan -input=false -no-color -lock-timeout=5m -out=tfplan',
        '-chdir=cdktf.out/stacks/prod show -json tfplan',
      ]);
      const comment = readFileSync(join(dir, 'comment.md'), 'utf8');
      expect(comment).to.include('### Stack `dev`: 2 to add');
      expect(comment).to.include('### Stack `prod`: 2 to add');
      expect(comment).not.to.include('`local`');
    });
  });

  describe('apply.yml apply step', () => {
    const script = () => stepScript('apply.yml', 'apply', 'Apply the saved plan');

    it('fails with the reason when Terraform says the saved plan is stale', () => {
      mkdirSync(join(dir, 'planned/prod'), { recursive: true });
      stub(
        'terraform',
        `case "$*" in *" apply "*) echo "Error: Saved plan is stale" >&2; echo "The given plan file can no longer be applied because the state was changed by another operation after the plan was created." >&2; exit 1;; esac`,
      );

      const result = runStep(script(), dir, bin, { STACK: 'prod', PR: '42' });

      expect(result.status).to.equal(1);
      expect(result.output).to.include(
        '::error title=Saved plan is stale::The plan reviewed in PR #42 for stack prod',
      );
    });

    it('applies the saved plan file and succeeds when Terraform does', () => {
      mkdirSync(join(dir, 'planned/dev'), { recursive: true });
      stub('terraform', `echo "$*" >> "${dir}/terraform.log"`);

      const result = runStep(script(), dir, bin, { STACK: 'dev', PR: '7' });

      expect(result.status, result.output).to.equal(0);
      expect(readFileSync(join(dir, 'terraform.log'), 'utf8').trim().split('\n')).to.deep.equal([
        '-chdir=planned/dev init -input=false -no-color',
        '-chdir=planned/dev apply -input=false -no-color -lock-timeout=5m tfplan',
      ]);
      expect(result.output).not.to.include('::error');
    });

    it('passes other failures through without calling them stale', () => {
      mkdirSync(join(dir, 'planned/dev'), { recursive: true });
      stub('terraform', `case "$*" in *" apply "*) echo "Error: AccessDenied" >&2; exit 1;; esac`);

      const result = runStep(script(), dir, bin, { STACK: 'dev', PR: '7' });

      expect(result.status).to.equal(1);
      expect(result.output).to.include('AccessDenied');
      expect(result.output).not.to.include('stale');
    });
  });

  describe('apply.yml stack listing', () => {
    it('lists the planned stacks (those with a tfplan) as a JSON array', () => {
      for (const stack of ['dev', 'local', 'prod'])
        mkdirSync(join(dir, 'planned', stack), { recursive: true });
      writeFileSync(join(dir, 'planned/dev/tfplan'), 'plan');
      writeFileSync(join(dir, 'planned/prod/tfplan'), 'plan');
      const output = join(dir, 'github-output');
      writeFileSync(output, '');

      const result = runStep(stepScript('apply.yml', 'find-plan', 'List the planned stacks'), dir, bin, {
        GITHUB_OUTPUT: output,
      });

      expect(result.status, result.output).to.equal(0);
      expect(readFileSync(output, 'utf8')).to.equal('stacks=["dev","prod"]\n');
    });
  });
});
