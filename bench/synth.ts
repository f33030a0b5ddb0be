/**
 * Synthesis benchmark: `npm run bench:synth` (needs `npm run build` and `npm run build:web` once).
 *
 * Prints the median wall time and peak RSS of synthesizing the full app (dev, prod, local) in fresh
 * processes, beside the same app with every deep provider import rewritten to the root import
 * `@cdktf/provider-aws` (generated into a temporary copy, never committed: lint forbids it), their ratio,
 * and the time of `tsc --noEmit` over the repository.
 *
 * Environment: BENCH_RUNS (default 5), BENCH_SKIP_TSC=1 to skip the type-check timing.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rootNamespaces, toRootImports } from '#bench/support/root-imports.ts';
import { median } from '#bench/support/stats.ts';
import { BUNDLE_ROOT_ENV, DEFAULT_BUNDLES, DEFAULT_WEB_BUILD, WEB_BUILD_ENV } from '#infra/app.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { seconds: 1, megabytes: 200, ratio: 3, tscSeconds: 20 };

// Written by the child on exit: its own peak resident set, which is what we want to know.
const RSS_PROBE = `data:text/javascript,process.on('exit',()=>process.stderr.write('BENCH_MAX_RSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;

interface Run {
  readonly seconds: number;
  readonly megabytes: number;
}

/** Runs `main` in a fresh `node --import tsx` process writing into a fresh outdir. */
function synthOnce(main: string, bundleRoot: string): Run {
  const outdir = mkdtempSync(join(REPO_ROOT, 'node_modules', '.cache', 'bench-synth-out-'));
  try {
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', RSS_PROBE, main], {
      cwd: REPO_ROOT,
      // The web build by its path here: the root-import copy of infra/ would look for it beside itself.
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        [BUNDLE_ROOT_ENV]: bundleRoot,
        [WEB_BUILD_ENV]: process.env[WEB_BUILD_ENV] || DEFAULT_WEB_BUILD,
      },
      encoding: 'utf8',
    });
    const seconds = (performance.now() - start) / 1000;
    if (child.status !== 0) throw new Error(`synthesis of ${main} failed:\n${child.stderr}`);
    const kb = Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr)?.[1]);
    if (!existsSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json')))
      throw new Error(`${main} wrote no prod stack`);
    return { seconds, megabytes: kb / 1024 };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A copy of `infra/` beside the repo's node_modules and dist, with root imports. Returns its main.ts. */
function rootImportVariant(): { main: string; dir: string } {
  const dir = mkdtempSync(join(REPO_ROOT, '.bench-root-import-'));
  const namespaces = rootNamespaces();
  cpSync(join(REPO_ROOT, 'infra'), join(dir, 'infra'), { recursive: true });
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : [],
    );
  let rewritten = 0;
  for (const file of walk(join(dir, 'infra'))) {
    const source = readFileSync(file, 'utf8');
    // An alias resolves to the repository's infra/, not to this copy: the variant would mix both.
    if (source.includes("from '#infra/"))
      throw new Error(`${file} imports #infra/*; infra/ imports itself relatively`);
    const out = toRootImports(source, namespaces);
    if (out !== source) {
      rewritten++;
      writeFileSync(file, out);
    }
  }
  if (rewritten === 0) throw new Error('no deep provider imports found to rewrite');
  // `#shared/*`, `#tools/*` and the `type` come from the repository's package.json, the nearest one
  // above the copy; the asset cache is the repository's (REPO_ROOT), behind the same node_modules.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { main: join(dir, 'infra', 'main.ts'), dir };
}

function measure(label: string, main: string, bundleRoot: string): Run[] {
  synthOnce(main, bundleRoot); // warm the asset cache and the file system cache; not counted
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(synthOnce(main, bundleRoot));
    process.stderr.write(`  ${label} run ${i + 1}/${RUNS}: ${runs.at(-1)?.seconds.toFixed(2)} s\n`);
  }
  return runs;
}

function timeTsc(): number {
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - start) / 1000;
  if (child.status !== 0)
    process.stderr.write(`  (tsc reported errors; timing kept)\n${child.stdout.slice(0, 2000)}`);
  return seconds;
}

function mark(ok: boolean): string {
  return ok ? 'ok  ' : 'MISS';
}

function main(): void {
  if (!existsSync(DEFAULT_BUNDLES.bundleRoot)) {
    throw new Error(`No bundles in ${DEFAULT_BUNDLES.bundleRoot}: run \`npm run build\` first.`);
  }
  if (!existsSync(join(process.env[WEB_BUILD_ENV] || DEFAULT_WEB_BUILD, 'index.html'))) {
    throw new Error(`No web app build in ${DEFAULT_WEB_BUILD}: run \`npm run build:web\` first.`);
  }
  mkdirSync(join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
  process.stderr.write(`Synthesizing dev, prod and local in ${RUNS} fresh processes per variant...\n`);
  // A snapshot, so a concurrent `npm run build` cannot pull the bundles away mid-run.
  const bundleRoot = mkdtempSync(join(REPO_ROOT, 'node_modules', '.cache', 'bench-bundles-'));
  cpSync(DEFAULT_BUNDLES.bundleRoot, bundleRoot, { recursive: true });
  const variant = rootImportVariant();
  let deep: Run[];
  let root: Run[];
  try {
    deep = measure('deep imports', join(REPO_ROOT, 'infra', 'main.ts'), bundleRoot);
    root = measure('root import', variant.main, bundleRoot);
  } finally {
    rmSync(variant.dir, { recursive: true, force: true });
    rmSync(bundleRoot, { recursive: true, force: true });
  }
  const tsc = process.env.BENCH_SKIP_TSC === '1' ? undefined : timeTsc();

  const d = { s: median(deep.map((r) => r.seconds)), mb: Math.max(...deep.map((r) => r.megabytes)) };
  const r = { s: median(root.map((x) => x.seconds)), mb: Math.max(...root.map((x) => x.megabytes)) };
  const ratio = r.s / d.s;
  const lines = [
    '',
    `synth benchmark (${RUNS} fresh processes each; wall time includes node + tsx start-up)`,
    `  deep imports (the app)   median ${d.s.toFixed(3)} s   peak RSS ${d.mb.toFixed(0)} MB`,
    `  root import (variant)    median ${r.s.toFixed(3)} s   peak RSS ${r.mb.toFixed(0)} MB`,
    `  ratio                    ${ratio.toFixed(2)}x faster with deep imports`,
    tsc === undefined
      ? '  tsc --noEmit             skipped'
      : `  tsc --noEmit (repo)      ${tsc.toFixed(2)} s`,
    '',
    'targets',
    `  ${mark(d.s <= TARGETS.seconds)} synth <= ${TARGETS.seconds} s`,
    `  ${mark(d.mb <= TARGETS.megabytes)} synth <= ${TARGETS.megabytes} MB`,
    `  ${mark(ratio >= TARGETS.ratio)} >= ${TARGETS.ratio}x faster than root import`,
    tsc === undefined ? '' : `  ${mark(tsc <= TARGETS.tscSeconds)} tsc <= ${TARGETS.tscSeconds} s`,
    `  (source: ${relative(process.cwd(), join(REPO_ROOT, 'infra', 'main.ts'))})`,
  ];
  console.log(lines.join('\n'));
}

main();
