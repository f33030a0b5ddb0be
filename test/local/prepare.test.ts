import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { webBuildStale, webSourcesPresent } from '#local/prepare';

describe('local/prepare web build', () => {
  let root: string;
  const at = (path: string, seconds: number) => utimes(join(root, path), seconds, seconds);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), '24hv-prepare-test-'));
    await mkdir(join(root, 'web', 'src'), { recursive: true });
    await writeFile(join(root, 'web', 'index.html'), '<!doctype html>');
    await writeFile(join(root, 'web', 'src', 'main.ts'), 'export {};');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const build = async (seconds: number) => {
    await mkdir(join(root, 'web', 'dist'), { recursive: true });
    await writeFile(join(root, 'web', 'dist', 'index.html'), '<!doctype html>');
    await at('web/dist/index.html', seconds);
  };

  it('is stale without a build, and says whether web/ has an app at all', async () => {
    expect(webSourcesPresent(root)).to.equal(true);
    expect(webBuildStale(root)).to.equal(true);
    await rm(join(root, 'web', 'index.html'));
    expect(webSourcesPresent(root)).to.equal(false);
  });

  it('is fresh when the build is newer than every source, its own files aside', async () => {
    await at('web/index.html', 1000);
    await at('web/src/main.ts', 1000);
    await build(2000);
    await writeFile(join(root, 'web', 'dist', 'later.js'), '');
    await at('web/dist/later.js', 3000);

    expect(webBuildStale(root)).to.equal(false);
  });

  it('is stale when a source under web/ or shared/ changed after the build', async () => {
    await at('web/index.html', 1000);
    await at('web/src/main.ts', 3000);
    await build(2000);
    expect(webBuildStale(root)).to.equal(true);

    await at('web/src/main.ts', 1000);
    await mkdir(join(root, 'shared', 'video'), { recursive: true });
    await writeFile(join(root, 'shared', 'video', 'index.ts'), '');
    await at('shared/video/index.ts', 3000);
    expect(webBuildStale(root)).to.equal(true);
  });
});
