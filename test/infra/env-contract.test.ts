import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ENV } from '#shared/config';
import { createFixture, type Fixture, resourcesOf, synthStage, type Tf } from '#test/support/infra.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

/**
 * Variables a function may read that infra deliberately never sets in AWS: they only point the SDK at
 * the local cloud's emulators (or override an endpoint the SDK resolves by itself).
 */
const LOCAL_ONLY = new Set<string>([ENV.S3_FORCE_PATH_STYLE, ENV.MEDIACONVERT_ENDPOINT]);
/** Variables infra sets for the runtime itself, not read by function code. */
const RUNTIME_ONLY = new Set(['NODE_OPTIONS']);

const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
const functionFolders = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Variables infra sets per function folder, over both backends (each sets only its own). */
function variablesSetByInfra(stacks: Tf[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const tf of stacks) {
    for (const fn of Object.values(resourcesOf(tf, 'aws_lambda_function'))) {
      const name = String(fn.function_name).replace(/^24hv-dev-/, '');
      const set = out.get(name) ?? new Set<string>();
      for (const key of Object.keys(fn.environment?.variables ?? {}))
        if (!RUNTIME_ONLY.has(key)) set.add(key);
      out.set(name, set);
    }
  }
  return out;
}

describe('environment contract between functions and infra', () => {
  let fixture: Fixture;
  let setByInfra: Map<string, Set<string>>;
  const reads = new Map<string, readonly string[]>();
  const missingConfig: string[] = [];

  before(async () => {
    fixture = createFixture();
    setByInfra = variablesSetByInfra([
      synthStage(fixture, 'dev', { VIDEO_TRANSCODER: 'mediaconvert' }).tf,
      synthStage(fixture, 'dev', { VIDEO_TRANSCODER: 'elastic-transcoder' }).tf,
    ]);
    for (const name of functionFolders) {
      const configPath = join(FUNCTIONS_DIR, name, 'config.ts');
      if (!existsSync(configPath)) {
        missingConfig.push(name);
        continue;
      }
      const module = (await import(configPath)) as { ENV_READS?: readonly string[] };
      if (!module.ENV_READS) missingConfig.push(name);
      else reads.set(name, module.ENV_READS);
    }
  });
  after(() => fixture.cleanup());

  it('finds ENV_READS in every function folder', () => {
    expect(missingConfig, 'function folders without config.ts exporting ENV_READS').to.deep.equal([]);
  });

  it('deploys every function folder, and nothing else', () => {
    expect([...setByInfra.keys()].sort()).to.deep.equal(functionFolders);
  });

  it('sets every variable a function reads (except the local-only ones)', () => {
    const unset = [...reads].flatMap(([name, vars]) =>
      vars.filter((v) => !LOCAL_ONLY.has(v) && !setByInfra.get(name)?.has(v)).map((v) => `${name}: ${v}`),
    );
    expect(unset, 'read by the function but never set by infra').to.deep.equal([]);
  });

  it('sets no variable a function does not read', () => {
    const unread = [...setByInfra].flatMap(([name, vars]) =>
      [...vars].filter((v) => !(reads.get(name) ?? []).includes(v)).map((v) => `${name}: ${v}`),
    );
    expect(unread, 'set by infra but absent from the function ENV_READS').to.deep.equal([]);
  });

  it('uses only names from ENV in shared/config', () => {
    const known = new Set<string>(Object.values(ENV));
    const unknown = [...setByInfra].flatMap(([name, vars]) =>
      [...vars].filter((v) => !known.has(v)).map((v) => `${name}: ${v}`),
    );
    expect(unknown).to.deep.equal([]);
  });
});
