/**
 * Synthesizes only the `local` stage into the directory given, with the transcoder backend given:
 *   tsx local/synth-local.ts <outdir> <elastic-transcoder|mediaconvert>
 * `local/prepare.ts` runs it in a child process, so the local cloud never loads cdktf itself.
 */
import { mkdirSync } from 'node:fs';
import { buildApp } from '#infra/app.ts';

const [outdir, backend] = process.argv.slice(2);
if (!outdir || !backend) {
  console.error('usage: tsx local/synth-local.ts <outdir> <elastic-transcoder|mediaconvert>');
  process.exit(1);
}
mkdirSync(outdir, { recursive: true });
buildApp({ outdir, env: { ...process.env, VIDEO_TRANSCODER: backend }, stages: ['local'] }).app.synth();
