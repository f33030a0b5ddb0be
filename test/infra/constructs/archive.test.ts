import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cacheArchive, zipDirectory, zipEntries } from '../../../infra/constructs/archive.ts';
import { readZip } from '../helpers.ts';

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
});
