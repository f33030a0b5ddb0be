import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TranscoderBackend } from '#shared/transcoder';
import { REPO_ROOT } from '#tools/repo-root.ts';

/**
 * The backend the CLIs use when `--transcoder` is not given: `VIDEO_TRANSCODER` when set (the
 * variable infra reads at synth time), else the local stage's own default.
 */
export const DEFAULT_LOCAL_BACKEND: TranscoderBackend =
  process.env.VIDEO_TRANSCODER === 'elastic-transcoder' ? 'elastic-transcoder' : 'mediaconvert';

/** A build or synth step that failed; the message carries the tail of its output. */
export class PrepareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrepareError';
  }
}

function newestMtime(path: string, skip: ReadonlySet<string> = new Set()): number {
  if (!existsSync(path) || skip.has(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name), skip));
  }
  return newest;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    log(`$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) =>
      reject(new PrepareError(`${command} could not start: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) =>
      code === 0
        ? resolvePromise()
        : reject(
            new PrepareError(`${[command, ...args].join(' ')} failed (exit ${code}):\n${output.trim()}`),
          ),
    );
  });
}

/** The functions `npm run build` bundles: every folder of `functions/` with a `handler.ts`. */
function functionNames(): string[] {
  const dir = join(REPO_ROOT, 'functions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'handler.ts')));
}

/** True when some bundle is missing or older than the sources it is built from. */
export function bundlesStale(): boolean {
  const bundles = functionNames().map((name) => join(REPO_ROOT, 'dist', 'functions', name, 'index.mjs'));
  if (bundles.length === 0 || bundles.some((b) => !existsSync(b))) return true;
  const oldestBundle = Math.min(...bundles.map((b) => statSync(b).mtimeMs));
  const sources = Math.max(
    newestMtime(join(REPO_ROOT, 'functions')),
    newestMtime(join(REPO_ROOT, 'shared')),
    newestMtime(join(REPO_ROOT, 'package-lock.json')),
  );
  return sources > oldestBundle;
}

/** Where the local stack for a backend is synthesized. */
export function stackFileFor(backend: TranscoderBackend): string {
  return join(REPO_ROOT, 'cdktf.out', `local-${backend}`, 'stacks', 'local', 'cdk.tf.json');
}

/**
 * Makes sure the bundles and the synthesized local stack for `backend` exist and are newer than
 * their sources, running `npm run build` and a synth of the `local` stage (with
 * `VIDEO_TRANSCODER=<backend>`) only when needed. Returns the stack file. This is what makes
 * `npm ci && npm start` work on a clean clone.
 */
export async function prepareLocalStack(
  backend: TranscoderBackend,
  log: (line: string) => void = () => undefined,
): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (bundlesStale()) {
    log('Building the function bundles (npm run build)…');
    await run(npm, ['run', '--silent', 'build'], process.env, log);
  }
  const stackFile = stackFileFor(backend);
  const inputs = Math.max(
    newestMtime(join(REPO_ROOT, 'infra')),
    newestMtime(join(REPO_ROOT, 'dist', 'functions')),
    newestMtime(join(REPO_ROOT, 'shared', 'config')),
  );
  if (!existsSync(stackFile) || statSync(stackFile).mtimeMs < inputs) {
    log(`Synthesizing the local stack with the ${backend} backend…`);
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'local', 'synth-local.ts'),
        resolve(stackFile, '../../..'),
        backend,
      ],
      { ...process.env, VIDEO_TRANSCODER: backend },
      log,
    );
    if (!existsSync(stackFile)) throw new PrepareError(`Synthesis finished but wrote no ${stackFile}.`);
  }
  return stackFile;
}

/** Where `npm run build:web` (Vite) writes the web app. */
export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

/** True when `web/` holds an app to build (Vite's entry, `web/index.html`). */
export function webSourcesPresent(root = REPO_ROOT): boolean {
  return existsSync(join(root, 'web', 'index.html'));
}

/**
 * True when the web build is missing or older than what it is built from: `web/` (but its `dist`),
 * `shared/` (the app mirrors the API's checks) and the lock file.
 */
export function webBuildStale(root = REPO_ROOT): boolean {
  const dist = join(root, 'web', 'dist');
  const built = join(dist, 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(join(root, 'web'), new Set([dist])),
    newestMtime(join(root, 'shared')),
    newestMtime(join(root, 'package-lock.json')),
  );
  return sources > statSync(built).mtimeMs;
}

/**
 * Builds the web app with `npm run build:web` when it is stale, and returns where the build is.
 * With no app under `web/` it builds nothing and says so: the local cloud then serves a page that
 * asks for the build.
 */
export async function prepareWebApp(log: (line: string) => void = () => undefined): Promise<string> {
  if (!webSourcesPresent()) {
    log('No web app under web/ (no web/index.html): skipping the web build.');
    return WEB_DIST;
  }
  if (webBuildStale()) {
    log('Building the web app (npm run build:web)…');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await run(npm, ['run', '--silent', 'build:web'], process.env, log);
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      throw new PrepareError(`npm run build:web finished but wrote no ${join(WEB_DIST, 'index.html')}.`);
    }
  }
  return WEB_DIST;
}
