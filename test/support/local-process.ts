import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A command the test started in its own process group, with its output collected. */
export interface SpawnedCommand {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, waiting for it up to `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends a signal to the whole process group, as a terminal's Ctrl-C does. */
  signalGroup(signal: NodeJS.Signals): void;
}

/** Starts `command` detached (its own process group), collecting its output. */
export function spawnCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): SpawnedCommand {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    exited,
    output: () => output,
    signalGroup: (signal) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch (error) {
        // Every process of the group has exited already.
        if ((error as { code?: string }).code !== 'ESRCH') throw error;
      }
    },
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            done();
            resolve(match);
          }
        };
        const done = () => {
          waiters.delete(check);
          clearTimeout(timer);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`No ${pattern} in the output within ${timeoutMs} ms:\n${output.slice(-3000)}`));
        }, timeoutMs);
        void exited.then(() => {
          if (!output.match(pattern)) {
            done();
            reject(new Error(`The process exited without printing ${pattern}:\n${output.slice(-3000)}`));
          }
        });
        waiters.add(check);
        check();
      }),
  };
}

/** Processes whose command line mentions `path` (an ffmpeg reading from it, a Lambda container run from it). */
export function processesUsing(path: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (command.includes(path)) found.push({ pid: Number(name), command });
    } catch {
      // It exited while we looked.
    }
  }
  return found;
}

/** {@link processesUsing} once any just killed have had `graceMs` to disappear. */
export async function processesLeftUsing(
  path: string,
  graceMs = 3_000,
): Promise<{ pid: number; command: string }[]> {
  const deadline = Date.now() + graceMs;
  let found = processesUsing(path);
  while (found.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = processesUsing(path);
  }
  return found;
}
