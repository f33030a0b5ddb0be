import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidCursorError } from '#shared/store';
import { decodeCursor, encodeCursor } from '#shared/store/cursor.ts';

const ATTRIBUTES = ['videoId', 'ownerId', 'createdAt'];

describe('unit', () => {
  describe('list cursors', () => {
    it('round-trips any key of the queried partition', () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 1, unit: 'grapheme' }),
          fc.string({ minLength: 1, unit: 'grapheme' }),
          fc.string({ minLength: 1, unit: 'grapheme' }),
          (videoId, ownerId, createdAt) => {
            const key = { videoId, ownerId, createdAt };

            const cursor = encodeCursor(key);

            expect(cursor).to.match(/^[A-Za-z0-9_-]+$/);
            expect(decodeCursor(cursor, ATTRIBUTES, { ownerId })).to.deep.equal(key);
          },
        ),
      );
    });

    it('rejects a cursor with one character changed, unless it still decodes to a key of the partition', () => {
      const cursor = encodeCursor({
        videoId: 'AbCdEfGhIjKlMnOpQrStUv',
        ownerId: 'user-1',
        createdAt: '2026',
      });
      fc.assert(
        fc.property(fc.nat(cursor.length - 1), fc.constantFrom(...'AZaz09-_'), (position, char) => {
          const changed = cursor.slice(0, position) + char + cursor.slice(position + 1);
          let outcome: unknown;
          try {
            outcome = decodeCursor(changed, ATTRIBUTES, { ownerId: 'user-1' });
          } catch (error) {
            outcome = error;
          }
          if (outcome instanceof Error) expect(outcome).to.be.instanceOf(InvalidCursorError);
          else expect(outcome).to.have.property('ownerId', 'user-1');
        }),
      );
    });

    it('rejects an oversized cursor without decoding it', () => {
      expect(() => decodeCursor('A'.repeat(4096), ATTRIBUTES, {})).to.throw(
        InvalidCursorError,
        /not base64url/,
      );
    });
  });
});
