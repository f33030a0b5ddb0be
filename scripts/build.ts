/**
 * Bundles every function (a folder of `functions/` with a `handler.ts`) into
 * `dist/functions/<name>/index.mjs` (+ `.map`): ESM for Node 22, minified, tree-shaken, AWS SDK included.
 *
 *   npm run build
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { REPO_ROOT } from '#tools/repo-root.ts';

/** Where the function folders live and where their bundles go. */
export const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
export const DIST_DIR = join(REPO_ROOT, 'dist', 'functions');

/** Name of the bundle file in each function's output folder; Lambda's handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/** Folder (inside each function's output folder) of the chunks loaded on demand. */
export const CHUNKS_DIR = 'chunks';

// The bundle is ESM, but some dependencies are CommonJS and call `require('node:...')`; esbuild's shim
// for that needs a real `require`, and ESM has none unless we make one.
const CJS_SHIM = [
  "import { createRequire as __cjsCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cjsFileURLToPath } from 'node:url';",
  "import { dirname as __cjsDirname } from 'node:path';",
  'const require = __cjsCreateRequire(import.meta.url);',
  'const __filename = __cjsFileURLToPath(import.meta.url);',
  'const __dirname = __cjsDirname(__filename);',
].join('\n');

/** Options of one bundle build. */
export interface BundleOptions {
  /** Leave `@aws-sdk/*` out of the bundle, as if taken from the Lambda runtime (benchmark only). */
  readonly externalSdk?: boolean;
  /** Output root; defaults to {@link DIST_DIR}. */
  readonly outDir?: string;
}

/** The esbuild options that bundle one function; shared by the build, the benchmark and the tests. */
export function bundleOptions(name: string, options: BundleOptions = {}): BuildOptions {
  const outDir = options.outDir ?? DIST_DIR;
  return {
    entryPoints: { index: join(FUNCTIONS_DIR, name, 'handler.ts') },
    outdir: join(outDir, name),
    outExtension: { '.js': '.mjs' },
    // What the SDK imports dynamically (the credential providers a Lambda never reaches: SSO, INI, process,
    // web identity, and the nested STS/SSO clients behind them) goes into chunks that load only if used,
    // so a cold start parses only what it runs. The zip still holds every chunk.
    splitting: true,
    chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
    absWorkingDir: REPO_ROOT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // The SDK's ESM builds (`module`) tree-shake; its CJS builds (`main`) do not.
    mainFields: ['module', 'main'],
    minify: true,
    treeShaking: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    banner: { js: CJS_SHIM },
    external: options.externalSdk ? ['@aws-sdk/*'] : [],
    logLevel: 'warning',
    metafile: true,
  };
}

/** Names of the functions: folders of `functions/` holding a `handler.ts`, sorted. */
export async function functionNames(dir: string = FUNCTIONS_DIR): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** One built bundle. */
export interface BuiltFunction {
  readonly name: string;
  /** The entry, `<outDir>/<name>/index.mjs`. */
  readonly file: string;
  /** Bytes a cold start loads: the entry and every chunk it imports statically. */
  readonly bytes: number;
  /** Bytes of every `.mjs` file of the function, the on-demand chunks included. */
  readonly totalBytes: number;
}

/** Sizes of one function's build from esbuild's metafile: what the entry loads eagerly, and everything. */
export function bundleSizes(metafile: Metafile, entryFile: string): { bytes: number; totalBytes: number } {
  const outputs = metafile.outputs;
  const pathOf = (file: string) => relative(REPO_ROOT, resolve(REPO_ROOT, file));
  const byPath = new Map(Object.keys(outputs).map((key) => [pathOf(key), key]));
  const eager = new Set<string>();
  const pending = [pathOf(entryFile)];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    const key = byPath.get(path);
    if (!key || eager.has(key)) continue;
    eager.add(key);
    for (const imported of outputs[key]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(pathOf(imported.path));
    }
  }
  const sum = (keys: Iterable<string>) =>
    [...keys].reduce((total, key) => total + (outputs[key]?.bytes ?? 0), 0);
  return { bytes: sum(eager), totalBytes: sum(Object.keys(outputs).filter((key) => key.endsWith('.mjs'))) };
}

/** Cleans the output folder and bundles every function into it. */
export async function buildFunctions(options: BundleOptions = {}): Promise<BuiltFunction[]> {
  const outDir = options.outDir ?? DIST_DIR;
  await rm(outDir, { recursive: true, force: true });
  const names = await functionNames();
  const built: BuiltFunction[] = [];
  for (const name of names) {
    const result = await build(bundleOptions(name, { ...options, outDir }));
    const file = join(outDir, name, BUNDLE_FILE);
    if (!result.metafile) throw new Error(`esbuild returned no metafile for ${name}.`);
    built.push({ name, file, ...bundleSizes(result.metafile, file) });
  }
  return built;
}

async function main(): Promise<void> {
  const built = await buildFunctions();
  if (built.length === 0) {
    console.warn(`No functions found: no folder of ${relative(REPO_ROOT, FUNCTIONS_DIR)}/ has a handler.ts.`);
    return;
  }
  console.log(`${'bundle'.padEnd(48)} ${'cold start'.padStart(11)} ${'all chunks'.padStart(11)}`);
  for (const { file, bytes, totalBytes } of built) {
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(11);
    console.log(`${relative(REPO_ROOT, file).padEnd(48)} ${kb(bytes)} ${kb(totalBytes)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
