/**
 * `npm run plan:verify -- <planned-stacks-dir> [--out cdktf.out] [--stack <name>]...`
 * Before applying a saved plan, checks that the configuration synthesized from this commit is the one
 * that was planned (the `cdk.tf.json` kept next to each `tfplan`). Exits 1, listing the differences,
 * when the base branch moved or the pull request changed after its last plan.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { renderFullText } from './markdown.ts';
import { diffStack, loadStacks, SynthOutputError } from './tfjson.ts';

/** Result of comparing the planned and the current configuration of each stack. */
export interface VerifyResult {
  ok: boolean;
  report: string;
}

/** Compares `<plannedDir>/<stack>/cdk.tf.json` with `<outDir>/stacks/<stack>/cdk.tf.json` for every planned stack. */
export function verifyPlannedConfig(
  plannedDir: string,
  outDir: string,
  only: readonly string[] = [],
): VerifyResult {
  const planned = loadStacks(join(plannedDir, '..'), { folder: basename(plannedDir), root: process.cwd() });
  const current = loadStacks(outDir, { root: process.cwd() });
  const names =
    only.length > 0
      ? [...only]
      : [...planned.keys()].filter((name) => existsSync(join(plannedDir, name, 'tfplan')));
  if (names.length === 0)
    throw new SynthOutputError(`No planned stack (a folder with tfplan) in ${plannedDir}.`);
  const lines: string[] = [];
  let ok = true;
  for (const name of names) {
    const rows = diffStack(planned.get(name), current.get(name));
    if (!planned.has(name))
      throw new SynthOutputError(`Stack ${name} was not planned: no ${join(plannedDir, name)}.`);
    if (rows.length === 0) {
      lines.push(`${name}: the configuration of this commit is the one that was planned.`);
    } else {
      ok = false;
      lines.push(
        `${name}: the configuration of this commit differs from the one that was planned:`,
        renderFullText(rows),
      );
    }
  }
  return { ok, report: lines.join('\n') };
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const args = process.argv.slice(2);
  const only: string[] = [];
  let out = 'cdktf.out';
  let planned: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i] ?? out;
    else if (args[i] === '--stack') only.push(args[++i] ?? '');
    else planned = args[i];
  }
  try {
    if (!planned)
      throw new SynthOutputError(
        'usage: verify-plan <planned-stacks-dir> [--out cdktf.out] [--stack <name>]...',
      );
    const result = verifyPlannedConfig(planned, out, only);
    process.stdout.write(`${result.report}\n`);
    if (!result.ok) {
      process.stderr.write(
        'verify-plan: not applying. The reviewed plan was made for a different configuration: the base branch ' +
          'moved or the pull request changed after its last plan. Plan again (a new pull request) and review it.\n',
      );
      process.exitCode = 1;
    }
  } catch (error) {
    if (!(error instanceof SynthOutputError)) throw error;
    process.stderr.write(`verify-plan: ${error.message}\n`);
    process.exitCode = 2;
  }
}
