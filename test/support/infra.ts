import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { type Stage, type StageConfig, stageConfig } from '#infra/config.ts';
import type { BundleSource } from '#infra/constructs/bundled-function.ts';
import type { Statement } from '#infra/constructs/policy.ts';
import { VideoPipelineStack } from '#infra/stacks/video-pipeline-stack.ts';
import { readZip as readZipDirectory } from '#tools/zip.ts';

/** Every function folder infra may bundle, pipeline and API. */
export const ALL_FUNCTIONS = [
  'transcode-video',
  'set-permissions',
  'extract-metadata',
  'update-video-list',
  'transcode-status',
  'delete-video',
  'reconcile-videos',
  'create-upload',
  'list-videos',
  'get-video',
  'update-video',
  'request-deletion',
] as const;

// cdktf's Testing.app() makes a new temp dir per app and never removes it: share one, removed on exit.
const TEST_OUTDIR = mkdtempSync(join(tmpdir(), '24hv-cdktf-test-'));
process.once('exit', () => rmSync(TEST_OUTDIR, { recursive: true, force: true }));

/** A cdktf test app whose output directory is removed when the test process exits. */
export function testApp(): App {
  return Testing.app({ outdir: TEST_OUTDIR });
}

/**
 * A temporary bundle root with a one-line bundle per function, a stub ffprobe and a stub web build, so
 * tests need no build.
 */
export interface Fixture {
  readonly dir: string;
  readonly bundles: BundleSource;
  readonly ffprobe: { binary: string; version: string };
  /** A Vite-shaped build ({@link STUB_WEB_BUILD}): `index.html`, hashed `assets/`, unhashed files, metadata. */
  readonly webBuild: string;
  cleanup(): void;
}

/** The files of the stub web build, by path, with their content. */
export const STUB_WEB_BUILD: Readonly<Record<string, string>> = {
  'index.html':
    '<!doctype html><html><head><script type="module" src="/assets/index-B1a2C3d4.js"></script><link rel="stylesheet" href="/assets/index-Dx9y8Z7w.css"></head><body><div id="root"></div></body></html>\n',
  'assets/index-B1a2C3d4.js': 'console.log("app");\n',
  'assets/index-Dx9y8Z7w.css': 'body{margin:0}\n',
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
  // A development config a build may carry: the deployed one is written from Terraform values instead.
  'config.json': '{"apiUrl":"http://127.0.0.1:3000"}\n',
  '.vite/manifest.json': '{}\n',
};

/** The keys the stub build uploads: everything but build metadata and `config.json`. */
export const STUB_WEB_KEYS = [
  'assets/index-B1a2C3d4.js',
  'assets/index-Dx9y8Z7w.css',
  'favicon.svg',
  'index.html',
];

export function createFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'infra-test-'));
  for (const name of ALL_FUNCTIONS) {
    mkdirSync(join(dir, 'functions', name), { recursive: true });
    writeFileSync(
      join(dir, 'functions', name, 'index.mjs'),
      `export const handler = async () => '${name}';\n`,
    );
  }
  const webBuild = join(dir, 'web-dist');
  for (const [path, content] of Object.entries(STUB_WEB_BUILD)) {
    mkdirSync(join(webBuild, path, '..'), { recursive: true });
    writeFileSync(join(webBuild, path), content);
  }
  const binary = join(dir, 'ffprobe');
  writeFileSync(binary, '#!/bin/sh\necho ffprobe stub\n');
  chmodSync(binary, 0o755);
  return {
    dir,
    bundles: { bundleRoot: join(dir, 'functions'), assetCacheDir: join(dir, 'cache') },
    ffprobe: { binary, version: 'test-stub' },
    webBuild,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A synthesized stack's Terraform JSON, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary Terraform JSON
export type Tf = Record<string, any>;

/** What {@link synthStage} may change from a stage's configuration and the fixture. */
export interface SynthOptions {
  /** Edits the stage's configuration (identity providers, ...). */
  readonly configure?: (config: StageConfig) => StageConfig;
  /** Another web build folder than the fixture's. */
  readonly webBuild?: string;
}

/** Builds one stage's stack and returns it with its parsed Terraform JSON (aspects included). */
export function synthStage(
  fixture: Fixture,
  stage: Stage,
  env: Record<string, string | undefined> = {},
  options: SynthOptions = {},
): { stack: VideoPipelineStack; tf: Tf } {
  const app = new App({ outdir: join(fixture.dir, 'out'), skipValidation: true });
  const config = stageConfig(stage, env);
  const stack = new VideoPipelineStack(app, stage, {
    config: options.configure ? options.configure(config) : config,
    bundles: fixture.bundles,
    ffprobe: fixture.ffprobe,
    webBuild: options.webBuild ?? fixture.webBuild,
  });
  return { stack, tf: JSON.parse(Testing.synth(stack)) as Tf };
}

/** The resources of one type, by logical name (empty object when none). */
export function resourcesOf(tf: Tf, type: string): Record<string, Tf> {
  return (tf.resource?.[type] ?? {}) as Record<string, Tf>;
}

/** The only resource of `type` whose properties match `where`; fails loudly when there is not exactly one. */
export function single(tf: Tf, type: string, where: (r: Tf) => boolean = () => true): Tf {
  const found = Object.values(resourcesOf(tf, type)).filter(where);
  if (found.length !== 1) throw new Error(`expected exactly one ${type} matching, found ${found.length}`);
  return found[0] as Tf;
}

/** Parses a policy JSON string into its statements. */
export function statements(policy: string): Statement[] {
  return (JSON.parse(policy) as { Statement: Statement[] }).Statement;
}

/** The statements of a function's role policy, by function physical name suffix (`transcode-video`). */
export function functionStatements(tf: Tf, functionName: string): Statement[] {
  const fnKey = Object.entries(resourcesOf(tf, 'aws_lambda_function')).find(([, f]) =>
    String(f.function_name).endsWith(`-${functionName}`),
  )?.[0];
  if (!fnKey) throw new Error(`no function ${functionName}`);
  const roleRef = resourcesOf(tf, 'aws_lambda_function')[fnKey]?.role as string;
  const roleKey = /aws_iam_role\.([^.]+)\.arn/.exec(roleRef)?.[1];
  const policy = Object.values(resourcesOf(tf, 'aws_iam_role_policy')).find(
    (p) => p.role === `\${aws_iam_role.${roleKey}.id}`,
  );
  if (!policy) throw new Error(`no role policy for ${functionName}`);
  return statements(policy.policy as string);
}

/** A function resource by its folder name. */
export function lambda(tf: Tf, name: string): Tf {
  return single(tf, 'aws_lambda_function', (f) => String(f.function_name).endsWith(`-${name}`));
}

/** The Terraform reference to a resource's attribute, as it appears in the JSON. */
export function refTo(tf: Tf, type: string, where: (r: Tf) => boolean, attribute: string): string {
  const key = Object.entries(resourcesOf(tf, type)).find(([, r]) => where(r))?.[0];
  if (!key) throw new Error(`no ${type} matching`);
  return `\${${type}.${key}.${attribute}}`;
}

/** A Terraform interpolation, as it appears in the JSON: `tfExpr('a.b')` is `${a.b}`. */
export function tfExpr(expression: string): string {
  return `\${${expression}}`;
}

/** The account id, as the stack references it. */
export const ACCOUNT = tfExpr('data.aws_caller_identity.current.account_id');

/** One file read back from a zip. */
export interface ZipEntryRead {
  name: string;
  mode: number;
  content: string;
}

/** Reads a zip back through its central directory, the way Lambda's unzip does. */
export function readZip(zip: Buffer): ZipEntryRead[] {
  return readZipDirectory(zip).map(({ name, mode, data }) => ({
    name,
    mode,
    content: data().toString('utf8'),
  }));
}
