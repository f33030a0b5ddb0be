/**
 * The cdktf app (`cdktf.json` runs it with tsx): `npm run synth` writes
 * `cdktf.out/stacks/{dev,prod,local}/cdk.tf.json` with no AWS credentials and no network.
 * `VIDEO_TRANSCODER=elastic-transcoder` selects the legacy backend.
 */

import { buildApp } from './app.ts';
import { PolicyViolationError } from './aspects/policy-checks.ts';
import { InfraConfigError } from './config.ts';
import { MissingBundleError } from './constructs/bundled-function.ts';
import { MissingWebBuildError } from './constructs/web-assets.ts';

// Errors that say what to do: their message is the whole story, a stack trace would bury it.
const ACTIONABLE = [MissingBundleError, MissingWebBuildError, InfraConfigError, PolicyViolationError];

// cdktf records a full stack trace for every token it creates; with tsx's source maps on, each frame
// is mapped back to TypeScript, which costs more than the synthesis itself (and ~40 MB).
process.setSourceMapsEnabled(false);

try {
  buildApp().app.synth();
} catch (error) {
  if (ACTIONABLE.some((type) => error instanceof type)) {
    console.error(`Synthesis failed: ${(error as Error).message}`);
  } else {
    // V8 formats `error.stack` on first access, so turning maps back on here still maps this one.
    process.setSourceMapsEnabled(true);
    console.error(error);
  }
  process.exitCode = 1;
}
