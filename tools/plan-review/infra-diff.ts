/**
 * `npm run infra:diff -- [--base <ref>] [--synth "<cmd>"] [--out <dir>] [--current-out <dir>]`
 * Synthesizes this working tree and the base commit (in a temporary worktree) and prints, as Markdown,
 * what changed in each stack's `cdk.tf.json`. Needs no AWS credentials: the review fork pull requests get.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { renderDiffComment, type StackDiff } from './diff-report.ts';
import { InfraDiffError, repoRoot, resolveBase, runSynth, withWorktree } from './git.ts';
import { diffStack, loadStacks, SynthOutputError, type SynthStack } from './tfjson.ts';

/** Options of the command line. */
export interface InfraDiffOptions {
  base?: string;
  /** Shell command that writes `<out>/stacks/<stack>/cdk.tf.json`. */
  synth: string;
  /** Synth output directory, relative to the repository root. */
  out: string;
  /** Already-synthesized output of the current tree; skips synthesizing it again. */
  currentOut?: string;
  cwd: string;
  /** Where progress and the synth commands' output go; stderr by default. */
  log?: (text: string) => void;
}

const USAGE = 'usage: infra-diff [--base <ref>] [--synth "<cmd>"] [--out cdktf.out] [--current-out <dir>]';

/** Parses the command line. */
export function parseArgs(argv: readonly string[], cwd = process.cwd()): InfraDiffOptions {
  const options: InfraDiffOptions = { synth: 'npm run synth --silent', out: 'cdktf.out', cwd };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new InfraDiffError(`${flag} needs a value. ${USAGE}`);
      return next;
    };
    if (flag === '--base') options.base = value();
    else if (flag === '--synth') options.synth = value();
    else if (flag === '--out') options.out = value();
    else if (flag === '--current-out') options.currentOut = value();
    else throw new InfraDiffError(`Unknown argument ${arg}. ${USAGE}`);
  }
  return options;
}

function hasScript(dir: string, name: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    return typeof manifest.scripts?.[name] === 'string';
  } catch {
    return false;
  }
}

/** Synthesizes both sides and renders the comment. */
export function infraDiff(options: InfraDiffOptions): string {
  const root = repoRoot(options.cwd);
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  const base = resolveBase(root, options.base);
  if (base.note) log(`infra-diff: ${base.note}\n`);
  let current: Map<string, SynthStack>;
  if (options.currentOut) {
    current = loadStacks(resolve(options.cwd, options.currentOut), { root });
  } else {
    runSynth(options.synth, root, 'the working tree', log);
    current = loadStacks(join(root, options.out), { root });
  }
  let note = base.note;
  const previous = withWorktree(root, base.sha, (dir) => {
    if (/^npm run synth\b/.test(options.synth) && !hasScript(dir, 'synth')) {
      // The pull request that introduces the app: there is nothing to compare with yet.
      note = [note, `The base ${base.sha.slice(0, 7)} has no synth script, so every stack shows as added.`]
        .filter(Boolean)
        .join(' ');
      return new Map<string, SynthStack>();
    }
    runSynth(options.synth, dir, `the base, ${base.label} (${base.sha.slice(0, 7)})`, log);
    return loadStacks(join(dir, options.out), { root: dir });
  });
  const names = [...new Set([...previous.keys(), ...current.keys()])].sort();
  const stacks: StackDiff[] = names.map((stack) => ({
    stack,
    status: !previous.has(stack) ? 'added' : !current.has(stack) ? 'removed' : 'both',
    rows: diffStack(previous.get(stack), current.get(stack)),
  }));
  return renderDiffComment(stacks, { baseLabel: base.label, baseSha: base.sha, note });
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  try {
    process.stdout.write(`${infraDiff(parseArgs(process.argv.slice(2)))}\n`);
  } catch (error) {
    if (!(error instanceof InfraDiffError || error instanceof SynthOutputError)) throw error;
    process.stderr.write(`infra-diff: ${error.message}\n`);
    process.exitCode = 2;
  }
}
