/**
 * Compares each function's bundle with the AWS SDK bundled (what we deploy) against a build that leaves
 * `@aws-sdk/*` external (as if taken from the Lambda runtime): bundle size, and the median time to
 * initialise the module over fresh `node` processes.
 *
 *   npm run bench:functions [-- --runs 21]
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { median } from '#bench/support/stats.ts';
import { type BuiltFunction, buildFunctions } from '#scripts/build.ts';
import { ENV } from '#shared/config';
import { REPO_ROOT } from '#tools/repo-root.ts';

const run = promisify(execFile);

/** Targets from the issue: every bundle at most this big, and init at least this much faster than external. */
const MAX_BUNDLE_BYTES = 500 * 1024;
const MIN_SPEEDUP = 1.8;

// Every function reads its configuration at module load, so the child needs plausible values; nothing is called.
const CHILD_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  [ENV.VIDEO_TABLE]: 'videos',
  [ENV.UPLOAD_BUCKET]: 'uploads',
  [ENV.TRANSCODED_BUCKET]: 'transcoded',
  [ENV.TRANSCODER]: 'elastic-transcoder',
  [ENV.ELASTIC_TRANSCODER_PIPELINE_ID]: '1111111111111-abcde1',
  [ENV.MEDIACONVERT_QUEUE_ARN]: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/Default',
  [ENV.MEDIACONVERT_ROLE_ARN]: 'arn:aws:iam::123456789012:role/mediaconvert',
  [ENV.MAX_UPLOAD_BYTES]: '5368709120',
  [ENV.FFPROBE_PATH]: '/opt/bin/ffprobe',
  [ENV.ALLOWED_ORIGIN]: 'http://localhost:5173',
  [ENV.DELETE_VIDEO_FUNCTION]: '24hv-bench-delete-video',
  [ENV.TRANSCODE_VIDEO_FUNCTION]: '24hv-bench-transcode-video',
};

// Runs in the child: `performance.now()` counts from the process's start, so `end` is start → module ready
// and `end - begin` is the import alone (parse, link, evaluate, module-level code).
const CHILD_SCRIPT = `
const begin = performance.now();
const mod = await import(process.argv[1]);
const end = performance.now();
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ begin, end }));
`;

interface Sample {
  readonly importMs: number;
  readonly sinceStartMs: number;
}

async function measureOnce(file: string): Promise<Sample> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', CHILD_SCRIPT, pathToFileURL(file).href],
    { env: CHILD_ENV, cwd: REPO_ROOT },
  );
  const { begin, end } = JSON.parse(stdout) as { begin: number; end: number };
  return { importMs: end - begin, sinceStartMs: end };
}

function runsFromArgs(argv: readonly string[]): number {
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : 21;
  if (!Number.isSafeInteger(runs) || runs < 20)
    throw new Error(`--runs must be an integer ≥ 20, got ${argv[at + 1]}.`);
  return runs;
}

async function main(): Promise<void> {
  const runs = runsFromArgs(process.argv.slice(2));
  // Inside the repository, so the external build resolves `@aws-sdk/*` from its node_modules like Lambda's runtime would.
  await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
  const tmp = await mkdtemp(join(REPO_ROOT, 'dist', 'bench-'));
  try {
    console.log('Building both variants…');
    const bundled = await buildFunctions({ outDir: join(tmp, 'bundled') });
    const external = await buildFunctions({ outDir: join(tmp, 'external'), externalSdk: true });
    const byName = new Map<string, BuiltFunction>(external.map((b) => [b.name, b]));

    console.log(
      `Measuring module initialisation: median of ${runs} fresh node processes per bundle (${process.version}).\n`,
    );
    const rows: string[][] = [];
    let allMet = true;
    for (const fn of bundled) {
      const ext = byName.get(fn.name);
      if (!ext) continue;
      const a: Sample[] = [];
      const b: Sample[] = [];
      // Interleaved, so a busy moment on the shared machine hurts both variants alike.
      for (let i = 0; i < runs; i++) {
        a.push(await measureOnce(fn.file));
        b.push(await measureOnce(ext.file));
      }
      const initA = median(a.map((s) => s.importMs));
      const initB = median(b.map((s) => s.importMs));
      const ratio = initB / initA;
      const met = fn.bytes <= MAX_BUNDLE_BYTES && ratio >= MIN_SPEEDUP;
      allMet &&= met;
      rows.push([
        fn.name,
        (fn.bytes / 1024).toFixed(1),
        (fn.totalBytes / 1024).toFixed(1),
        (ext.bytes / 1024).toFixed(1),
        initA.toFixed(1),
        initB.toFixed(1),
        `${ratio.toFixed(2)}×`,
        median(a.map((s) => s.sinceStartMs)).toFixed(1),
        median(b.map((s) => s.sinceStartMs)).toFixed(1),
        met ? 'yes' : 'NO',
      ]);
    }
    printTable(
      [
        'function',
        'bundled KB (cold start)',
        'bundled KB (all chunks)',
        'external KB (cold start)',
        'bundled init ms',
        'external init ms',
        'speed-up',
        'bundled start→ready ms',
        'external start→ready ms',
        'targets met',
      ],
      rows,
    );
    console.log(
      `\nTargets: bundle ≤ ${MAX_BUNDLE_BYTES / 1024} KB minified (what a cold start loads: index.mjs and the chunks it imports statically); init ≥ ${MIN_SPEEDUP}× faster than the external-SDK build.`,
    );
    console.log(
      '"all chunks" adds the chunks loaded only on demand (the credential providers Lambda never reaches); the zip holds them all.',
    );
    console.log(allMet ? 'All targets met.' : 'Some targets NOT met (see the last column).');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function printTable(header: readonly string[], rows: readonly string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
