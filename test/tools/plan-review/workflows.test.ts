import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { COMMENT_MARKER } from '#tools/plan-review/markdown.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  environment?: { name: string } | string;
  steps: Step[];
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown>; 'max-parallel'?: number };
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const load = (name: string): Workflow =>
  parse(readFileSync(join(REPO_ROOT, '.github/workflows', name), 'utf8')) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');
const indexOfStep = (job: Job, predicate: (step: Step) => boolean) => job.steps.findIndex(predicate);
const usesAction = (action: string) => (step: Step) => step.uses?.split('@')[0] === action;

// A tag like v4.2.2 or a full commit SHA; never a moving major tag or a branch.
const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/;
const ALLOWED_PERMISSIONS = new Set([
  'contents:read',
  'pull-requests:write',
  'pull-requests:read',
  'id-token:write',
  'actions:read',
]);

/** A GitHub expression as it appears in workflow YAML. */
const expr = (inner: string) => `$${'{{'} ${inner} }}`;

const WORKFLOWS = ['plan.yml', 'apply.yml', 'plan-comment.yml'];

describe('review workflows', () => {
  describe('every workflow', () => {
    for (const name of WORKFLOWS) {
      it(`${name} pins each action to a version`, () => {
        const used = steps(load(name))
          .map((step) => step.uses)
          .filter((uses): uses is string => uses !== undefined);

        expect(used).not.to.be.empty;
        for (const uses of used) expect(uses, uses).to.match(PINNED);
      });

      it(`${name} grants nothing at the top and only minimal permissions per job`, () => {
        const workflow = load(name);

        expect(workflow.permissions).to.deep.equal({});
        for (const [id, job] of Object.entries(workflow.jobs)) {
          expect(job.permissions, id).to.be.an('object');
          for (const [scope, level] of Object.entries(job.permissions ?? {})) {
            expect(ALLOWED_PERMISSIONS.has(`${scope}:${level}`), `${id}: ${scope}: ${level}`).to.equal(true);
          }
          const assumesRole = job.steps.some(usesAction('aws-actions/configure-aws-credentials'));
          expect(job.permissions?.['id-token'] === 'write', `${id} id-token`).to.equal(assumesRole);
        }
      });
    }
  });

  describe('plan.yml', () => {
    const workflow = load('plan.yml');
    const job = workflow.jobs.plan as Job;

    it('runs on pull requests to main', () => {
      expect(workflow.on).to.deep.equal({ pull_request: { branches: ['main'] } });
    });

    it('installs, tests and synthesizes before anything else', () => {
      const order = ['npm ci', 'npm test', 'npm run synth'].map((command) =>
        indexOfStep(job, (step) => step.run === command),
      );

      expect(order.every((i) => i >= 0)).to.equal(true);
      expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    });

    it('plans every stack with credentials from the role in repository variables, over OIDC', () => {
      const credentials = job.steps.find(usesAction('aws-actions/configure-aws-credentials')) as Step;
      const planStep = job.steps.find((step) => step.run?.includes('terraform -chdir')) as Step;

      expect(credentials.with?.['role-to-assume']).to.equal(expr('vars.AWS_PLAN_ROLE_ARN'));
      expect(credentials.if).to.equal("steps.mode.outputs.mode == 'plan'");
      expect(planStep.if).to.equal("steps.mode.outputs.mode == 'plan'");
      expect(planStep.run).to.match(/terraform -chdir="\$dir" init/);
      expect(planStep.run).to.match(/terraform -chdir="\$dir" plan .*-out=tfplan/);
      expect(planStep.run).to.match(/terraform -chdir="\$dir" show -json tfplan > "\$dir\/plan.json"/);
      expect(planStep.run).to.include('npm run --silent plan:comment --');
      const setup = job.steps.find(usesAction('hashicorp/setup-terraform'));
      expect(setup?.with?.terraform_wrapper).to.equal(false);
    });

    it('decides on the plan only for a configured role and a pull request from this repository', () => {
      const mode = job.steps.find((step) => step.name === 'Choose plan or diff') as Step;

      expect(mode.env?.PLAN_ROLE).to.equal(expr('vars.AWS_PLAN_ROLE_ARN'));
      expect(mode.env?.SAME_REPO).to.equal(
        expr('github.event.pull_request.head.repo.full_name == github.repository'),
      );
    });

    it('falls back to infra:diff against the pull request base without credentials', () => {
      const diff = job.steps.find((step) => step.run?.includes('infra:diff')) as Step;

      expect(diff.if).to.equal("steps.mode.outputs.mode == 'diff'");
      expect(diff.run).to.include('--base "$BASE_SHA"');
      expect(diff.env?.BASE_SHA).to.equal(expr('github.event.pull_request.base.sha'));
      const checkout = job.steps.find(usesAction('actions/checkout'));
      expect(checkout?.with?.['fetch-depth']).to.equal(0);
    });

    it('posts or updates the single comment found by its marker', () => {
      const post = job.steps.find(usesAction('actions/github-script')) as Step;
      const script = String(post.with?.script);

      expect(script).to.include(`'${COMMENT_MARKER}'`);
      expect(script).to.include('updateComment');
      expect(script).to.include('createComment');
      expect(indexOfStep(job, usesAction('actions/github-script'))).to.be.greaterThan(
        indexOfStep(job, (step) => step.run?.includes('infra:diff') ?? false),
      );
    });

    it('uploads the plan files, with the lock file and without provider binaries', () => {
      const upload = job.steps.find(
        (step) => usesAction('actions/upload-artifact')(step) && step.with?.name === 'terraform-plan',
      ) as Step;

      expect(upload.if).to.equal("steps.mode.outputs.mode == 'plan'");
      expect(String(upload.with?.path)).to.include('cdktf.out/stacks/');
      expect(String(upload.with?.path)).to.include('!cdktf.out/stacks/*/.terraform/');
      expect(upload.with?.['include-hidden-files']).to.equal(true);
    });
  });

  describe('apply.yml', () => {
    const workflow = load('apply.yml');
    const find = workflow.jobs['find-plan'] as Job;
    const apply = workflow.jobs.apply as Job;

    it('runs on pushes to main and by hand, one at a time, never cancelled half-way', () => {
      expect(workflow.on.push).to.deep.equal({ branches: ['main'] });
      expect(workflow.on).to.have.property('workflow_dispatch');
      expect(workflow.concurrency?.['cancel-in-progress']).to.equal(false);
    });

    it('finds the pull request run of the merged head commit and downloads its plan', () => {
      const script = String(find.steps.find(usesAction('actions/github-script'))?.with?.script);
      const download = find.steps.find(usesAction('actions/download-artifact')) as Step;

      expect(script).to.include('listPullRequestsAssociatedWithCommit');
      expect(script).to.include("workflow_id: 'plan.yml'");
      expect(script).to.include('head_sha: pr.head.sha');
      expect(download.with?.name).to.equal('terraform-plan');
      expect(download.with?.['run-id']).to.equal(expr('steps.find.outputs.run-id'));
    });

    it('refuses a plan made for another configuration before applying', () => {
      expect(runs(find)).to.include('npm run --silent plan:verify -- planned');
      expect(indexOfStep(find, (s) => s.run === 'npm run synth')).to.be.lessThan(
        indexOfStep(find, (s) => s.run?.includes('plan:verify') ?? false),
      );
    });

    it('applies the saved plan file, per stack, behind the stack environment', () => {
      const script = runs(apply);

      expect(apply.needs).to.equal('find-plan');
      expect(apply.environment).to.deep.equal({ name: expr('matrix.stack') });
      expect(apply.strategy?.['max-parallel']).to.equal(1);
      expect(script).to.match(/terraform -chdir="\$dir" apply .* tfplan/);
      expect(script).not.to.match(/terraform[^\n]* plan /);
      expect(script).not.to.include('-auto-approve');
    });

    it('explains a stale plan when Terraform rejects it', () => {
      const script = runs(apply);

      expect(script).to.include('grep -q "Saved plan is stale"');
      expect(script).to.include('::error title=Saved plan is stale::');
      expect(script).to.include('exit "$status"');
    });

    it('synthesizes with the same deployment settings as the plan, to compare like with like', () => {
      const synthEnv = (w: Workflow) => steps(w).find((step) => step.run === 'npm run synth')?.env;

      expect(synthEnv(workflow)).to.deep.equal(synthEnv(load('plan.yml')));
      expect(synthEnv(workflow)).to.have.property('TF_STATE_BUCKET', expr('vars.TF_STATE_BUCKET'));
    });

    it('uses the Terraform version that made the plan', () => {
      expect(workflow.env?.TERRAFORM_VERSION).to.equal(load('plan.yml').env?.TERRAFORM_VERSION);
    });
  });

  describe('plan-comment.yml', () => {
    const workflow = load('plan-comment.yml');
    const job = workflow.jobs.comment as Job;

    it('posts the comment of fork pull requests after the Plan workflow, without running their code', () => {
      expect(workflow.on).to.deep.equal({ workflow_run: { workflows: ['Plan'], types: ['completed'] } });
      expect(job.steps.some(usesAction('actions/checkout'))).to.equal(false);
      expect(job.steps.some((step) => step.run !== undefined)).to.equal(false);
      const script = String(job.steps.find(usesAction('actions/github-script'))?.with?.script);
      expect(script).to.include(`'${COMMENT_MARKER}'`);
      expect(script).to.include('pr.head.sha !== process.env.HEAD_SHA');
    });
  });
});
