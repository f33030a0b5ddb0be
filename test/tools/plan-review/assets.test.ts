import { deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { assetNormaliser, normaliseText, zipEntrySignature } from '#tools/plan-review/assets.ts';

/** A minimal zip (deflated entries) with the given comment, so bytes differ while content does not. */
function zip(files: [string, string][], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const n = Buffer.from(name);
    const data = deflateRawSync(Buffer.from(text));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, directory, end, Buffer.from(comment)]);
}

describe('assets', () => {
  describe('normaliseText', () => {
    it('folds the path bundlers write before node_modules, whatever the checkout depth', () => {
      const here = normaliseText('{"sources":["../../../node_modules/a/index.js","../../src/x.ts"]}');
      const there = normaliseText(
        '{"sources":["../../../../../home/runner/work/r/r/node_modules/a/index.js","../../src/x.ts"]}',
      );

      expect(here).to.equal(there);
      expect(here).to.include('"../../src/x.ts"');
    });

    it('replaces the checkout root and esbuild chunk hashes', () => {
      expect(normaliseText('import "./chunk-AB2C3D4E.mjs"; // /tmp/wt-1/src/a.ts', '/tmp/wt-1/')).to.equal(
        'import "./chunk-<hash>.mjs"; // <repo>/src/a.ts',
      );
    });
  });

  describe('zipEntrySignature', () => {
    it('ignores everything but names and contents', () => {
      const a = zip(
        [
          ['index.mjs', 'export const a = 1;'],
          ['b.txt', 'b'],
        ],
        'built at 10:00',
      );
      const b = zip(
        [
          ['b.txt', 'b'],
          ['index.mjs', 'export const a = 1;'],
        ],
        'built at 10:05',
      );

      expect(zipEntrySignature(a)).to.deep.equal(zipEntrySignature(b));
      expect(zipEntrySignature(a)).not.to.deep.equal(
        zipEntrySignature(
          zip([
            ['index.mjs', 'export const a = 2;'],
            ['b.txt', 'b'],
          ]),
        ),
      );
    });

    it('gives up on data that is not a zip', () => {
      expect(zipEntrySignature(Buffer.from('not a zip at all, not even close to one'))).to.equal(undefined);
    });
  });

  describe('assetNormaliser', () => {
    it('rewrites hash folders and file hashes of known assets to their content fingerprint', () => {
      const rewrite = assetNormaliser([
        { path: 'assets/fn/abcdef0123456789/', folderHash: 'abcdef0123456789', content: 'c0ffee000001' },
        {
          path: 'assets/fn/abcdef0123456789/fn-0123456789abcdef.zip',
          folderHash: 'abcdef0123456789',
          sha256Base64: 'BASE64HASH=',
          content: 'c0ffee000001',
        },
      ]);

      expect(rewrite('assets/fn/abcdef0123456789/fn-0123456789abcdef.zip')).to.equal(
        'assets/fn/<content c0ffee000001>/fn-<hash>.zip',
      );
      expect(rewrite('BASE64HASH=')).to.equal('<content c0ffee000001>');
      expect(rewrite('assets/other/9999999999999999/x.zip')).to.equal('assets/other/<asset>/x.zip');
    });
  });
});
