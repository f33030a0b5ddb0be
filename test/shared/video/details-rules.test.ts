import { expect } from 'chai';
import fc from 'fast-check';
import {
  characterCount,
  checkVideoDetails,
  DESCRIPTION_MAX_LENGTH,
  descriptionProblem,
  isVisibility,
  TITLE_MAX_LENGTH,
  titleProblem,
  visibilityProblem,
} from '#shared/video/details-rules';

describe('details-rules', () => {
  describe('characterCount', () => {
    it('counts code points, so an emoji or a CJK character is one character', () => {
      expect(characterCount('héllo')).to.equal(5);
      expect(characterCount('😀😀')).to.equal(2);
      expect(characterCount('東京タワー')).to.equal(5);
    });
  });

  describe('titleProblem', () => {
    it('accepts a title of 1 to 120 characters in any script', () => {
      for (const title of [
        'a',
        'Ünïcödé 東京 😀',
        'ש'.repeat(TITLE_MAX_LENGTH),
        '😀'.repeat(TITLE_MAX_LENGTH),
      ]) {
        expect(titleProblem(title), title).to.equal(undefined);
      }
    });

    const refusals: Array<[string, unknown, string]> = [
      ['a number', 12, '"title" must be a string of 1 to 120 characters.'],
      ['missing (null)', null, '"title" must be a string of 1 to 120 characters.'],
      ['empty', '', '"title" is empty; give the video a title of 1 to 120 characters.'],
      ['blank', '   ', '"title" is empty; give the video a title of 1 to 120 characters.'],
      ['121 characters', 'x'.repeat(121), '"title" is 121 characters; use at most 120.'],
      [
        'a line break',
        'two\nlines',
        '"title" contains a control character (U+000A); use plain text on one line.',
      ],
      ['a tab', 'a\tb', '"title" contains a control character (U+0009); use plain text on one line.'],
      ['DEL', 'a\u007fb', '"title" contains a control character (U+007F); use plain text on one line.'],
      [
        'a C1 control',
        'a\u0085b',
        '"title" contains a control character (U+0085); use plain text on one line.',
      ],
      [
        'a lone surrogate',
        'a\ud800b',
        '"title" contains an invalid character (a lone UTF-16 surrogate); send well-formed text.',
      ],
    ];
    for (const [label, title, message] of refusals) {
      it(`refuses a title that is ${label}`, () => {
        expect(titleProblem(title)).to.equal(message);
      });
    }

    it('refuses every C0 control character and accepts every printable ASCII character', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0x1f }), (code) =>
          titleProblem(`a${String.fromCharCode(code)}b`)?.includes('control character'),
        ),
      );
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 120, unit: 'grapheme-ascii' }), (text) => {
          const printable = text.replace(/[^\x20-\x7e]/g, 'x');
          return printable.trim() === '' || titleProblem(printable) === undefined;
        }),
      );
    });
  });

  describe('descriptionProblem', () => {
    it('accepts an empty description, line breaks, and exactly 2000 characters', () => {
      expect(descriptionProblem('')).to.equal(undefined);
      expect(descriptionProblem('first line\nsecond line')).to.equal(undefined);
      expect(descriptionProblem('é'.repeat(DESCRIPTION_MAX_LENGTH))).to.equal(undefined);
    });

    it('refuses a wrong type, 2001 characters and control characters other than a line feed', () => {
      expect(descriptionProblem(['x'])).to.equal(
        '"description" must be a string of at most 2000 characters.',
      );
      expect(descriptionProblem('x'.repeat(2001))).to.equal(
        '"description" is 2001 characters; use at most 2000.',
      );
      expect(descriptionProblem('windows\r\nline')).to.equal(
        '"description" contains a control character (U+000D); only line breaks are allowed.',
      );
      expect(descriptionProblem('bell\u0007')).to.equal(
        '"description" contains a control character (U+0007); only line breaks are allowed.',
      );
    });
  });

  describe('visibility', () => {
    it('knows public and private and nothing else', () => {
      expect(['public', 'private', 'Public', '', undefined].map(isVisibility)).to.deep.equal([
        true,
        true,
        false,
        false,
        false,
      ]);
      expect(visibilityProblem('secret')).to.equal('"visibility" must be "public" or "private".');
      expect(visibilityProblem('private')).to.equal(undefined);
    });
  });

  describe('checkVideoDetails', () => {
    it('returns only the fields that were sent', () => {
      // Act
      const result = checkVideoDetails({ title: 'Trip', visibility: 'private' });

      // Assert
      expect(result).to.deep.equal({ ok: true, patch: { title: 'Trip', visibility: 'private' } });
    });

    it('accepts an empty description, which clears it', () => {
      expect(checkVideoDetails({ description: '' })).to.deep.equal({ ok: true, patch: { description: '' } });
    });

    it('refuses an unknown field, naming it and the known ones', () => {
      // Act
      const result = checkVideoDetails({ title: 'Trip', owner: 'me' });

      // Assert
      expect(result).to.deep.equal({
        ok: false,
        problem: {
          code: 'INVALID_REQUEST',
          field: 'owner',
          message: '"owner" is not a field you can change; send "title", "description" or "visibility".',
        },
      });
    });

    it('refuses an empty body', () => {
      // Act
      const result = checkVideoDetails({});

      // Assert
      expect(result.ok === false && result.problem.message).to.equal(
        'Send at least one of "title", "description" or "visibility".',
      );
    });

    it('names the first invalid field, in the order title, description, visibility', () => {
      // Act
      const result = checkVideoDetails({ visibility: 'nope', description: 5, title: 'ok' });

      // Assert
      expect(result.ok === false && result.problem).to.deep.equal({
        code: 'INVALID_REQUEST',
        field: 'description',
        message: '"description" must be a string of at most 2000 characters.',
      });
    });

    it('refuses a wrong type for each field', () => {
      for (const body of [{ title: 1 }, { description: null }, { visibility: true }]) {
        expect(checkVideoDetails(body).ok, JSON.stringify(body)).to.equal(false);
      }
    });
  });
});
