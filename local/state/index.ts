import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalCloud, LocalEndpoints } from '#local/cloud';
import { REPO_ROOT } from '#tools/repo-root.ts';

/**
 * Where a running `npm start` says how to reach it, so tools in another terminal (`npm run redrive`)
 * find it: in the repository's git-ignored `.local-cloud/`.
 */
export const CLOUD_STATE_FILE = join(REPO_ROOT, '.local-cloud', 'cloud.json');

/** What a running local cloud publishes about itself. */
export interface CloudState {
  readonly pid: number;
  readonly startedAt: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly endpoints: LocalEndpoints;
  /** The physical names of the stack's functions, e.g. `24hv-local-transcode-video`. */
  readonly functions: readonly string[];
}

/** The state of a running cloud, as process `pid` (this one by default) publishes it. */
export function cloudStateOf(
  cloud: Pick<LocalCloud, 'region' | 'credentials' | 'endpoints' | 'stack'>,
  pid = process.pid,
): CloudState {
  return {
    pid,
    startedAt: new Date().toISOString(),
    region: cloud.region,
    // Copied: the SDK annotates a credentials object it was given.
    credentials: {
      accessKeyId: cloud.credentials.accessKeyId,
      secretAccessKey: cloud.credentials.secretAccessKey,
    },
    endpoints: cloud.endpoints,
    functions: cloud.stack
      .resources('aws_lambda_function')
      .map((fn) => cloud.stack.attribute(fn.address, 'function_name') as string),
  };
}

/** Writes the state file (atomically: readers never see half of it). */
export function writeCloudState(state: CloudState, file = CLOUD_STATE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${state.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(partial, file);
}

/** The running local cloud's state, or undefined when none runs (no file, or its process is gone). */
export function readCloudState(file = CLOUD_STATE_FILE): CloudState | undefined {
  if (!existsSync(file)) return undefined;
  let state: CloudState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as CloudState;
  } catch {
    return undefined;
  }
  return isRunning(state.pid) ? state : undefined;
}

/** Removes the state file if process `pid` wrote it; synchronous, for an `exit` handler. */
export function removeCloudState(pid: number, file = CLOUD_STATE_FILE): void {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<CloudState>;
    if (state.pid === pid) rmSync(file, { force: true });
  } catch {
    // No file, or not ours to remove.
  }
}

/**
 * The physical name of the local cloud's function that `name` means: the physical name or ARN itself,
 * or its short name (`transcode-video` for `24hv-local-transcode-video`); undefined unless exactly one.
 */
export function localFunctionName(state: CloudState, name: string): string | undefined {
  const exact = state.functions.find((fn) => fn === name || name.endsWith(`:function:${fn}`));
  if (exact) return exact;
  // The stack's name prefix is what all its functions' names share (`24hv-local-`).
  const prefix = state.functions.reduce((shared, fn) => {
    let length = 0;
    while (length < shared.length && shared[length] === fn[length]) length++;
    return shared.slice(0, length);
  }, state.functions[0] ?? '');
  const prefixed = state.functions.find((fn) => fn === `${prefix}${name}`);
  if (prefixed) return prefixed;
  const found = state.functions.filter((fn) => fn.endsWith(`-${name}`));
  return found.length === 1 ? found[0] : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}
