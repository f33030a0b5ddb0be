import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cacheArchive, stageDirectory, zipDirectory } from '#infra/constructs/archive.ts';
import { readZip } from '#test/support/infra.ts';
import { zipEntries } from '#tools/zip.ts';

describe('archive', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'archive-test-'));
    mkdirSync(join(dir, 'src', 'bin'), { recursive: true });
    writeFileSync(join(dir, 'src', 'index.mjs'), 'export const handler = 1;\n');
    writeFileSync(join(dir, 'src', 'bin', 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'src', 'bin', 'tool'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('zipDirectory', () => {
    it('stores every file under its relative path, sorted, with its content and Unix mode', () => {
      const entries = readZip(zipDirectory(join(dir, 'src')));
      expect(entries).to.deep.equal([
        { name: 'bin/tool', mode: 0o100755, content: '#!/bin/sh\n' },
        { name: 'index.mjs', mode: 0o100644, content: 'export const handler = 1;\n' },
      ]);
    });

    it('gives the same bytes for the same content, whatever the timestamps', () => {
      const first = zipDirectory(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'index.mjs'), 'export const handler = 1;\n');
      expect(zipDirectory(join(dir, 'src')).equals(first)).to.equal(true);
    });

    it('gives different bytes when content changes', () => {
      const first = zipDirectory(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'index.mjs'), 'export const handler = 2;\n');
      expect(zipDirectory(join(dir, 'src')).equals(first)).to.equal(false);
    });
  });

  describe('zipEntries', () => {
    it('forces the mode it is given (an executable in a layer)', () => {
      const zip = zipEntries([{ name: 'bin/ffprobe', path: join(dir, 'src', 'index.mjs'), mode: 0o755 }]);
      expect(readZip(zip).map((e) => [e.name, e.mode])).to.deep.equal([['bin/ffprobe', 0o100755]]);
    });
  });

  describe('cacheArchive', () => {
    it('names the zip by its content hash and reports the base64 SHA-256 Lambda compares', () => {
      const zip = zipDirectory(join(dir, 'src'));
      const staged = cacheArchive(zip, join(dir, 'cache'), 'fn');
      expect(staged.path).to.equal(join(dir, 'cache', `fn-${staged.sha256Hex.slice(0, 16)}.zip`));
      expect(Buffer.from(staged.sha256Base64, 'base64').toString('hex')).to.equal(staged.sha256Hex);
      expect(cacheArchive(zip, join(dir, 'cache'), 'fn')).to.deep.equal(staged);
    });
  });

  describe('stageDirectory', () => {
    it('reuses the zip of unchanged content and reports the same hash', () => {
      const first = stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn');
      const again = stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn');
      expect(again).to.deep.equal(first);
      expect(readZip(readFileSync(first.path)).map((e) => e.name)).to.deep.equal(['bin/tool', 'index.mjs']);
    });

    it('zips changed content anew and removes zips of the same function unused for ten minutes', () => {
      const old = stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn');
      const other = stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn-other');
      const longAgo = new Date(Date.now() - 20 * 60 * 1000);
      utimesSync(old.path, longAgo, longAgo);
      utimesSync(other.path, longAgo, longAgo);
      writeFileSync(join(dir, 'src', 'index.mjs'), 'export const handler = 3;\n');
      const fresh = stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn');
      expect(fresh.sha256Hex).not.to.equal(old.sha256Hex);
      expect(existsSync(old.path)).to.equal(false);
      expect(existsSync(other.path), 'another function keeps its zip').to.equal(true);
      expect(
        readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('fn-') && !f.startsWith('fn-other')),
      ).to.have.length(2);
    });

    it('keeps a recently used older zip: a concurrent synth may still copy it', () => {
      const old = stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn');
      writeFileSync(join(dir, 'src', 'index.mjs'), 'export const handler = 4;\n');
      stageDirectory(join(dir, 'src'), join(dir, 'cache'), 'fn');
      expect(existsSync(old.path)).to.equal(true);
    });
  });
});
