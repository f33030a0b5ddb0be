import { join } from 'node:path';
import { App } from 'cdktf';
import { REPO_ROOT } from '#tools/repo-root.ts';
import { STAGES, type Stage, stageConfig } from './config.ts';
import type { BundleSource } from './constructs/bundled-function.ts';
import { VideoPipelineStack } from './stacks/video-pipeline-stack.ts';

/** Where `npm run build` writes bundles and where synthesis caches their zips. */
export const DEFAULT_BUNDLES: BundleSource = {
  bundleRoot: join(REPO_ROOT, 'dist', 'functions'),
  assetCacheDir: join(REPO_ROOT, 'node_modules', '.cache', '24hv-infra'),
};

/** Points synthesis at another bundle folder (the benchmark snapshots `dist/functions` into one). */
export const BUNDLE_ROOT_ENV = 'INFRA_BUNDLE_ROOT';

/** Where `npm run build:web` writes the web app, which the dev and prod stacks upload. */
export const DEFAULT_WEB_BUILD = join(REPO_ROOT, 'web', 'dist');

/** Points synthesis at another web build (a copy of `infra/` elsewhere, as the benchmark makes). */
export const WEB_BUILD_ENV = 'INFRA_WEB_BUILD';

/** Options of {@link buildApp}; the defaults are what `npm run synth` uses. */
export interface BuildAppOptions {
  readonly outdir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly bundles?: BundleSource;
  /** The built web app; only the stages that host it read it. */
  readonly webBuild?: string;
  readonly stages?: readonly Stage[];
  readonly ffprobe?: { readonly binary: string; readonly version: string };
}

/** The cdktf app: one {@link VideoPipelineStack} per stage, named after it (`dev`, `prod`, `local`). */
export function buildApp(options: BuildAppOptions = {}): {
  app: App;
  stacks: Map<Stage, VideoPipelineStack>;
} {
  const env = options.env ?? process.env;
  const app = new App({ outdir: options.outdir ?? env.CDKTF_OUTDIR ?? 'cdktf.out', skipValidation: false });
  const stacks = new Map<Stage, VideoPipelineStack>();
  for (const stage of options.stages ?? STAGES) {
    stacks.set(
      stage,
      new VideoPipelineStack(app, stage, {
        config: stageConfig(stage, env),
        bundles: options.bundles ?? {
          ...DEFAULT_BUNDLES,
          bundleRoot: env[BUNDLE_ROOT_ENV] || DEFAULT_BUNDLES.bundleRoot,
        },
        webBuild: options.webBuild ?? (env[WEB_BUILD_ENV] || DEFAULT_WEB_BUILD),
        ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}),
      }),
    );
  }
  return { app, stacks };
}
