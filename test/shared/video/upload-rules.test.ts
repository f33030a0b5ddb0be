import { expect } from 'chai';
import {
  ACCEPTED_EXTENSIONS,
  checkUpload,
  checkUploadFields,
  extensionOf,
  filenameOf,
  isVideoContentType,
  MAX_FILENAME_LENGTH,
} from '#shared/video/upload-rules';

const LIMITS = { maxBytes: 1000 };

describe('upload-rules', () => {
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

  describe('checkUploadFields', () => {
    const valid = () => ({ filename: 'holiday.mp4', contentType: ' video/mp4 ', size: 1000 });

    it('returns the fields, the content type trimmed, when every rule holds', () => {
      // Act
      const result = checkUploadFields(valid(), LIMITS);

      // Assert
      expect(result).to.deep.equal({
        ok: true,
        fields: { filename: 'holiday.mp4', contentType: 'video/mp4', size: 1000 },
      });
    });

    const refusals: Array<[string, Record<string, unknown>, string, string]> = [
      [
        'the filename is missing',
        { filename: undefined },
        'INVALID_REQUEST',
        '"filename" is required: the name of the file to upload, e.g. "holiday.mp4".',
      ],
      [
        'the filename is too long',
        { filename: `${'a'.repeat(MAX_FILENAME_LENGTH)}.mp4` },
        'INVALID_REQUEST',
        `"filename" is ${MAX_FILENAME_LENGTH + 4} characters; use at most ${MAX_FILENAME_LENGTH}.`,
      ],
      [
        'the content type is blank',
        { contentType: ' ' },
        'INVALID_REQUEST',
        '"contentType" is required: the file\'s MIME type, e.g. "video/mp4".',
      ],
      [
        'the size is not a whole number',
        { size: 1.5 },
        'INVALID_REQUEST',
        '"size" is required: the file\'s size in bytes, a whole number.',
      ],
      [
        'the content type is not a video',
        { filename: 'notes.txt', contentType: 'text/plain' },
        'UNSUPPORTED_TYPE',
        '"text/plain" is not a video content type; only video/* files can be uploaded.',
      ],
      [
        'the extension is not a video',
        { filename: 'notes.txt' },
        'UNSUPPORTED_TYPE',
        `"notes.txt" is not a supported video type (.txt); upload one of ${ACCEPTED_EXTENSIONS.join(', ')}.`,
      ],
      [
        'the filename holds a control character',
        { filename: 'holi\u0007day.mp4' },
        'INVALID_REQUEST',
        '"filename" contains a control character (U+0007); rename the file with printable characters.',
      ],
      [
        'the file is empty',
        { size: 0 },
        'EMPTY_FILE',
        '"holiday.mp4" is empty (0 bytes); upload the file again.',
      ],
      [
        'the file is over the limit',
        { size: 1001 },
        'TOO_LARGE',
        '"holiday.mp4" is 1001 bytes, over the 1000-byte limit.',
      ],
    ];
    for (const [label, change, code, message] of refusals) {
      it(`refuses with ${code} when ${label}`, () => {
        // Act
        const result = checkUploadFields({ ...valid(), ...change }, LIMITS);

        // Assert
        expect(result).to.deep.equal({ ok: false, problem: { code, message } });
      });
    }

    it('reports the first rule broken, in the API order (type before size)', () => {
      // Act
      const result = checkUploadFields({ filename: 'a.txt', contentType: 'text/plain', size: 0 }, LIMITS);

      // Assert
      expect(result.ok === false && result.problem.code).to.equal('UNSUPPORTED_TYPE');
    });
  });
});
