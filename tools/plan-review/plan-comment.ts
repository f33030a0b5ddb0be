/**
 * `npm run plan:comment -- [--stack <name>] <plan.json>...`
 * Prints one Markdown review comment for the JSON plans of one or more stacks (`terraform show -json tfplan`).
 * The stack name of a file is the `--stack` given just before it; otherwise the directory name for
 * `plan.json`/`tfplan.json` (`cdktf.out/stacks/dev/plan.json` → dev), else the file name without
 * `.json` and a `.plan`/`-plan`/`.tfplan` suffix (`dev.plan.json` → dev). `-` reads standard input.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { PlanInputError, parsePlan } from './plan.ts';
import { renderPlanComment, type StackPlan } from './plan-report.ts';

/** Derives the stack name from a plan file's path (see the module comment for the rule). */
export function stackNameFromPath(path: string): string {
  if (path === '-') return 'default';
  const file = basename(path);
  if (/^(tf)?plan\.json$/i.test(file)) {
    const parent = basename(dirname(path));
    return parent === '' || parent === '.' ? 'default' : parent;
  }
  return file.replace(/\.json$/i, '').replace(/[.-](tf)?plan$/i, '') || 'default';
}

/** Command-line arguments: files paired with their stack names. */
export function parseArgs(argv: readonly string[]): { stack: string; path: string }[] {
  const inputs: { stack: string; path: string }[] = [];
  let pending: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--stack') {
      pending = argv[++i];
      if (pending === undefined || pending === '') throw new PlanInputError('--stack needs a name.');
    } else if (arg.startsWith('--stack=')) {
      pending = arg.slice('--stack='.length);
    } else if (arg === '--help' || arg === '-h') {
      throw new PlanInputError(
        'usage: plan-comment [--stack <name>] <plan.json>... (JSON from terraform show -json)',
      );
    } else if (arg.startsWith('--') && arg !== '-') {
      throw new PlanInputError(`Unknown option ${arg}. Usage: plan-comment [--stack <name>] <plan.json>...`);
    } else {
      inputs.push({ stack: pending ?? stackNameFromPath(arg), path: arg });
      pending = undefined;
    }
  }
  if (pending !== undefined) throw new PlanInputError(`--stack ${pending} is not followed by a plan file.`);
  if (inputs.length === 0) {
    throw new PlanInputError('No plan given. Usage: plan-comment [--stack <name>] <plan.json>...');
  }
  const seen = new Set<string>();
  for (const { stack, path } of inputs) {
    if (seen.has(stack)) {
      throw new PlanInputError(`Two plans for stack ${stack} (second: ${path}); name them with --stack.`);
    }
    seen.add(stack);
  }
  return inputs;
}

/** Reads, validates and renders; the CLI and tests share this. */
export function planComment(argv: readonly string[], read: (path: string) => string = defaultRead): string {
  const stacks: StackPlan[] = parseArgs(argv).map(({ stack, path }) => {
    let text: string;
    try {
      text = read(path);
    } catch (error) {
      throw new PlanInputError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    return { stack, plan: parsePlan(text, path) };
  });
  return renderPlanComment(stacks);
}

function defaultRead(path: string): string {
  return readFileSync(path === '-' ? 0 : path, 'utf8');
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  try {
    process.stdout.write(`${planComment(process.argv.slice(2))}\n`);
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    process.stderr.write(`plan-comment: ${error.message}\n`);
    process.exitCode = 2;
  }
}
