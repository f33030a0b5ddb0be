import { spawn } from 'node:child_process';

/** What a finished child process left behind. */
export interface ProcessResult {
  /** Null when the process was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion; injectable so tests can check the arguments without a binary. */
export type ProcessRunner = (
  command: string,
  args: readonly string[],
  options: { readonly timeoutMs: number },
) => Promise<ProcessResult>;

const MAX_STDOUT = 8 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

/**
 * The real {@link ProcessRunner}: `spawn` without a shell (a URL is one argument, never parsed),
 * killed with SIGKILL after `timeoutMs`. Rejects only when the program cannot start.
 */
export const runProcess: ProcessRunner = (command, args, { timeoutMs }) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_STDOUT) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
