/**
 * Git plumbing for `infra:diff`: choose the base commit and synthesize it in a throw-away worktree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A git or synth step failed; the message says which and shows its output. */
export class InfraDiffError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraDiffError';
  }
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

const commitOf = (cwd: string, ref: string) =>
  tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);

/** The commit to compare against, how it was chosen, and a note when we had to fall back. */
export interface BaseCommit {
  sha: string;
  label: string;
  note?: string;
}

/**
 * Resolves `--base`, or by default the merge base of HEAD with `origin/main`,
 * falling back to `main` and then to `HEAD~1` with a note saying so.
 */
export function resolveBase(cwd: string, requested?: string): BaseCommit {
  if (requested !== undefined) {
    const sha = commitOf(cwd, requested);
    if (!sha) {
      throw new InfraDiffError(
        `Base ${requested} is not a commit in this repository. Fetch it first (git fetch origin ${requested}) or pass another --base.`,
      );
    }
    return { sha, label: requested };
  }
  const notes: string[] = [];
  for (const candidate of ['origin/main', 'main']) {
    const tip = commitOf(cwd, candidate);
    if (!tip) {
      notes.push(`${candidate} does not exist here`);
      continue;
    }
    const mergeBase = tryGit(cwd, ['merge-base', 'HEAD', tip]);
    if (mergeBase) {
      return {
        sha: mergeBase,
        label: `the merge base with ${candidate}`,
        ...(notes.length > 0
          ? { note: `${notes.join('; ')}, so the base is the merge base with ${candidate}.` }
          : {}),
      };
    }
    notes.push(`HEAD has no merge base with ${candidate} (shallow clone?)`);
  }
  const previous = commitOf(cwd, 'HEAD~1');
  if (!previous) {
    throw new InfraDiffError(
      `No base to compare with: ${notes.join('; ')}, and HEAD has no parent. Pass --base <ref> (after git fetch).`,
    );
  }
  return { sha: previous, label: 'HEAD~1', note: `${notes.join('; ')}, so the base is HEAD~1.` };
}

/** Runs a shell command in `cwd`; its output goes to `log` (stderr) so stdout stays the Markdown report. */
export function runSynth(
  command: string,
  cwd: string,
  what: string,
  log: (text: string) => void = (text) => process.stderr.write(text),
): void {
  const result = spawnSync(command, {
    cwd,
    shell: true,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.stdout) log(result.stdout);
  if (result.stderr) log(result.stderr);
  if (result.error || result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new InfraDiffError(
      `Synthesizing ${what} failed (\`${command}\` exited with ${result.status ?? result.error?.message}).\n${tail}`,
      { cause: result.error },
    );
  }
}

/**
 * Checks `sha` out in a temporary worktree (sharing this checkout's node_modules), runs `work` in it,
 * and removes the worktree afterwards whatever happens, including Ctrl-C.
 */
export function withWorktree<T>(cwd: string, sha: string, work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), '24hv-infra-diff-'));
  const cleanup = () => {
    tryGit(cwd, ['worktree', 'remove', '--force', dir]);
    rmSync(dir, { recursive: true, force: true });
    tryGit(cwd, ['worktree', 'prune']);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      git(cwd, ['worktree', 'add', '--detach', dir, sha]);
    } catch (error) {
      throw new InfraDiffError(
        `Cannot create a worktree for ${sha}: ${(error as { stderr?: string }).stderr ?? error}`,
        {
          cause: error,
        },
      );
    }
    const modules = join(cwd, 'node_modules');
    if (existsSync(modules) && !existsSync(join(dir, 'node_modules')))
      symlinkSync(modules, join(dir, 'node_modules'), 'dir');
    return work(dir);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cleanup();
  }
}

/** The top of the git checkout that contains `cwd`. */
export function repoRoot(cwd: string): string {
  const root = tryGit(cwd, ['rev-parse', '--show-toplevel']);
  if (!root) throw new InfraDiffError(`${cwd} is not inside a git repository; infra:diff compares commits.`);
  return root;
}
