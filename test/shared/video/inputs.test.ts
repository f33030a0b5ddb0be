import { expect } from 'chai';
import { ACCEPTED_EXTENSIONS, checkUpload, extensionOf, filenameOf, isVideoContentType } from '#shared/video';

const LIMITS = { maxBytes: 1000 };

describe('unit', () => {
  describe('extensionOf', () => {
    for (const [key, ext] of [
      ['my.trip.to.rome.2026.mp4', '.mp4'],
      ['incoming/2026/11/24/camera roll/clip.final.v2.MP4', '.mp4'],
      ['folder.with.dots/video', ''],
      ['folder.with.dots/video.MOV', '.mov'],
      ['.hidden', ''],
      ['noext', ''],
      ['trailing.', '.'],
    ] as const) {
      it(`reads "${ext}" from ${key} (only the last dot of the last segment counts)`, () => {
        expect(extensionOf(key)).to.equal(ext);
      });
    }
  });

  describe('filenameOf', () => {
    it('returns the last path segment', () => {
      expect(filenameOf('uploads/u/id/my holiday videoé + more.mov')).to.equal(
        'my holiday videoé + more.mov',
      );
      expect(filenameOf('plain.mp4')).to.equal('plain.mp4');
    });
  });

  describe('checkUpload', () => {
    it('accepts every accepted extension, in any case, within the limit', () => {
      for (const ext of ACCEPTED_EXTENSIONS) {
        expect(checkUpload({ key: `a/b.c${ext.toUpperCase()}`, size: 1 }, LIMITS)).to.equal(undefined);
      }
    });

    it('accepts a file of exactly the maximum size', () => {
      expect(checkUpload({ key: 'v.mp4', size: 1000 }, LIMITS)).to.equal(undefined);
    });

    it('rejects an unsupported type, naming the file and the accepted types', () => {
      const result = checkUpload({ key: 'uploads/notes.mp4.txt', size: 10 }, LIMITS);

      expect(result?.code).to.equal('UNSUPPORTED_TYPE');
      expect(result?.message).to.include('"notes.mp4.txt"').and.include('.txt').and.include('.mp4, .mov');
    });

    it('rejects a key without extension', () => {
      expect(checkUpload({ key: 'uploads/video', size: 10 }, LIMITS)?.message).to.include('no extension');
    });

    it('rejects an empty file', () => {
      expect(checkUpload({ key: 'v.mov', size: 0 }, LIMITS)?.code).to.equal('EMPTY_FILE');
    });

    it('rejects a file over the limit, saying both sizes', () => {
      const result = checkUpload({ key: 'v.mov', size: 1001 }, LIMITS);

      expect(result?.code).to.equal('TOO_LARGE');
      expect(result?.message).to.include('1001').and.include('1000');
    });
  });

  describe('isVideoContentType', () => {
    it('accepts video/* and refuses the rest', () => {
      expect(
        ['video/mp4', 'video/quicktime', ' video/x-matroska ', 'VIDEO/MP4'].map(isVideoContentType),
      ).to.deep.equal([true, true, true, true]);
      expect(
        ['audio/mp4', 'video/', 'text/plain', 'video/mp4; codecs=avc1'].map(isVideoContentType),
      ).to.deep.equal([false, false, false, false]);
    });
  });
});
