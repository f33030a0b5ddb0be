import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { expect } from 'chai';
import { readZip, ZipFormatError, zipEntries } from '#tools/zip.ts';

describe('zip', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('readZip', () => {
    it('reads back the names, modes, checksums and data zipEntries wrote', () => {
      writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
      chmodSync(join(dir, 'tool'), 0o755);
      writeFileSync(join(dir, 'index.mjs'), 'export {};\n');
      const zip = zipEntries([
        { name: 'bin/tool', path: join(dir, 'tool') },
        { name: 'index.mjs', path: join(dir, 'index.mjs') },
      ]);

      const entries = readZip(zip);

      expect(
        entries.map((e) => ({
          name: e.name,
          mode: e.mode,
          crc: e.crc,
          method: e.method,
          data: e.data().toString(),
        })),
      ).to.deep.equal([
        { name: 'bin/tool', mode: 0o100755, crc: crc32('#!/bin/sh\n') >>> 0, method: 8, data: '#!/bin/sh\n' },
        {
          name: 'index.mjs',
          mode: 0o100644,
          crc: crc32('export {};\n') >>> 0,
          method: 8,
          data: 'export {};\n',
        },
      ]);
    });

    it('throws ZipFormatError when the bytes are not a zip', () => {
      expect(() => readZip(Buffer.from('not a zip at all, not even close to one'))).to.throw(
        ZipFormatError,
        /not a zip file/,
      );
    });

    it('throws ZipFormatError when an entry uses a compression method other than stored or deflate', () => {
      writeFileSync(join(dir, 'a.txt'), 'a');
      const zip = zipEntries([{ name: 'a.txt', path: join(dir, 'a.txt') }]);
      const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      zip.writeUInt16LE(12, central + 10); // bzip2

      const [entry] = readZip(zip);

      expect(() => entry?.data()).to.throw(ZipFormatError, /compression method 12/);
    });
  });
});
