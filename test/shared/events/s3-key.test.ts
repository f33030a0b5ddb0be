import { expect } from 'chai';
import fc from 'fast-check';
import { decodeS3Key, encodeS3Key, MalformedKeyError } from '#shared/events';

describe('unit', () => {
  describe('S3 event keys', () => {
    it('decodes + as a space and %2B as a plus', () => {
      const decoded = decodeS3Key('my+holiday+video%C3%A9+%2B+more.mov');

      expect(decoded).to.equal('my holiday videoé + more.mov');
    });

    it('keeps slashes and every dot of nested keys', () => {
      const decoded = decodeS3Key('incoming/2026/11/24/camera+roll/clip.final.v2.MP4');

      expect(decoded).to.equal('incoming/2026/11/24/camera roll/clip.final.v2.MP4');
    });

    it('decodes an encoded slash too, as some emulators send it', () => {
      expect(decodeS3Key('a%2Fb.mp4')).to.equal('a/b.mp4');
    });

    it('throws MalformedKeyError naming the key when the encoding is invalid', () => {
      const act = () => decodeS3Key('100%+sure.mp4');

      expect(act).to.throw(MalformedKeyError, /100%\+sure\.mp4/);
    });

    it('encodes like S3: spaces as +, plus as %2B, UTF-8 percent-encoding, slashes literal', () => {
      const encoded = encodeS3Key('uploads/my holiday videoé + more (1).mov');

      expect(encoded).to.equal('uploads/my+holiday+video%C3%A9+%2B+more+%281%29.mov');
    });

    it('encodes characters S3 escapes in event keys (= and :)', () => {
      expect(encodeS3Key('logs/dt=2026-11-24/10:47:07.log')).to.equal(
        'logs/dt%3D2026-11-24/10%3A47%3A07.log',
      );
    });

    it('encodes astral characters as their four UTF-8 bytes', () => {
      expect(encodeS3Key('🎬.mp4')).to.equal('%F0%9F%8E%AC.mp4');
    });

    it('refuses to encode a lone surrogate, which no S3 key can hold', () => {
      expect(() => encodeS3Key('bad\uD800.mp4')).to.throw(MalformedKeyError, /surrogate/);
    });

    it('round-trips arbitrary unicode keys: decode(encode(key)) === key', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (key) => {
          expect(decodeS3Key(encodeS3Key(key))).to.equal(key);
        }),
        { numRuns: 500 },
      );
    });

    it('round-trips keys made of the characters that need escaping', () => {
      const special = fc.constantFrom(...[...' +%/&?#=:;,@$!\'()*~"<>[]{}|\\^`.-_é€😀\t\n']);
      fc.assert(
        fc.property(fc.array(special, { maxLength: 40 }), (chars) => {
          const key = chars.join('');
          expect(decodeS3Key(encodeS3Key(key))).to.equal(key);
        }),
        { numRuns: 500 },
      );
    });

    it('never leaves a space, plus or percent unescaped in an encoded key', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (key) => {
          const encoded = encodeS3Key(key);
          expect(encoded).to.match(/^[A-Za-z0-9\-_.*/+%]*$/);
          expect(encoded.replace(/%[0-9A-F]{2}/g, '')).not.to.include('%');
        }),
        { numRuns: 300 },
      );
    });
  });
});
