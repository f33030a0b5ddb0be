import { expect } from 'chai';
import fc from 'fast-check';
import {
  characterCount,
  checkDescription,
  checkDetailsPatch,
  checkTitle,
  checkVisibility,
  DESCRIPTION_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '#shared/video/details';

const refused = (check: { ok: boolean; field?: string; message?: string }) => {
  expect(check.ok).to.equal(false);
  return check as { ok: false; field: string; message: string };
};

describe('unit', () => {
  describe('video details rules', () => {
    describe('characterCount', () => {
      it('counts code points, so a character outside the BMP is one', () => {
        expect(characterCount('abc')).to.equal(3);
        expect(characterCount('漢字')).to.equal(2);
        expect(characterCount('🌊🎬')).to.equal(2);
        expect('🌊🎬'.length).to.equal(4);
      });
    });

    describe('title', () => {
      it('accepts any script, trimmed and NFC-normalized', () => {
        expect(checkTitle('  Été à la mer  ')).to.deep.equal({ ok: true, value: 'Été à la mer' });
        expect(checkTitle('東京の夜')).to.deep.equal({ ok: true, value: '東京の夜' });
        expect(checkTitle('مرحبا بالعالم')).to.deep.equal({ ok: true, value: 'مرحبا بالعالم' });
        // e + combining acute becomes é: one character, not two.
        expect(checkTitle('Cafe\u0301')).to.deep.equal({ ok: true, value: 'Café' });
      });

      it(`accepts exactly ${TITLE_MAX_LENGTH} characters, counting an emoji as one`, () => {
        expect(checkTitle('🌊'.repeat(TITLE_MAX_LENGTH)).ok).to.equal(true);
      });

      it(`refuses ${TITLE_MAX_LENGTH + 1} characters, naming the field and the limit`, () => {
        const problem = refused(checkTitle('a'.repeat(TITLE_MAX_LENGTH + 1)));

        expect(problem.field).to.equal('title');
        expect(problem.message).to.equal(`"title" is 121 characters; use at most 120.`);
      });

      it('refuses an empty or blank title', () => {
        expect(refused(checkTitle('')).message).to.match(/"title" must not be empty/);
        expect(refused(checkTitle(' \t ')).message).to.match(/"title" must not be empty/);
      });

      for (const [label, text, code] of [
        ['a line feed', 'one\ntwo', 'U+000A'],
        ['a NUL', 'a\u0000b', 'U+0000'],
        ['DEL', 'a\u007fb', 'U+007F'],
        ['a C1 control', 'a\u0085b', 'U+0085'],
        ['a line separator', 'a\u2028b', 'U+2028'],
        ['an unpaired surrogate', 'a\ud800b', 'U+D800'],
      ] as const) {
        it(`refuses ${label}, naming the code point`, () => {
          const problem = refused(checkTitle(text));

          expect(problem.field).to.equal('title');
          expect(problem.message).to.contain(code).and.contain('"title"');
        });
      }

      for (const value of [42, null, true, ['a'], { text: 'a' }]) {
        it(`refuses a ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`, () => {
          expect(refused(checkTitle(value)).message).to.match(/^"title" must be a string, got /);
        });
      }

      it('accepts every trimmed string of printable characters within the limit (property)', () => {
        fc.assert(
          fc.property(
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => {
              const normalized = s.normalize('NFC').trim();
              return (
                normalized.length > 0 &&
                characterCount(normalized) <= TITLE_MAX_LENGTH &&
                ![...normalized].some((c) => /[\p{Cc}\p{Cs}\u2028\u2029]/u.test(c))
              );
            }),
            (title) => {
              const checked = checkTitle(title);
              return checked.ok && checked.value === title.normalize('NFC').trim();
            },
          ),
        );
      });
    });

    describe('description', () => {
      it('keeps line breaks and tabs, turning CRLF into LF', () => {
        expect(checkDescription('Line one\r\n\tLine two\n')).to.deep.equal({
          ok: true,
          value: 'Line one\n\tLine two',
        });
      });

      it('accepts an empty description, which removes it', () => {
        expect(checkDescription('')).to.deep.equal({ ok: true, value: '' });
      });

      it(`accepts ${DESCRIPTION_MAX_LENGTH} characters and refuses one more`, () => {
        expect(checkDescription('字'.repeat(DESCRIPTION_MAX_LENGTH)).ok).to.equal(true);
        const problem = refused(checkDescription('字'.repeat(DESCRIPTION_MAX_LENGTH + 1)));
        expect(problem).to.deep.include({
          field: 'description',
          message: '"description" is 2001 characters; use at most 2000.',
        });
      });

      it('refuses other control characters', () => {
        const problem = refused(checkDescription('bell\u0007'));

        expect(problem.field).to.equal('description');
        expect(problem.message).to.contain('U+0007');
      });

      it('refuses a number', () => {
        expect(refused(checkDescription(7)).message).to.equal(
          '"description" must be a string, got number 7.',
        );
      });
    });

    describe('visibility', () => {
      it('accepts public and private only', () => {
        expect(checkVisibility('public')).to.deep.equal({ ok: true, value: 'public' });
        expect(checkVisibility('private')).to.deep.equal({ ok: true, value: 'private' });
        expect(refused(checkVisibility('Public')).message).to.equal(
          '"visibility" must be one of "public", "private", got "Public".',
        );
        expect(refused(checkVisibility(undefined)).field).to.equal('visibility');
      });
    });

    describe('a whole change', () => {
      it('accepts any subset of the fields, normalized', () => {
        expect(checkDetailsPatch({ title: ' Sea ', visibility: 'private' })).to.deep.equal({
          ok: true,
          value: { title: 'Sea', visibility: 'private' },
        });
        expect(checkDetailsPatch({ description: 'x' })).to.deep.equal({
          ok: true,
          value: { description: 'x' },
        });
      });

      it('refuses an unknown field, naming it and the fields that can change', () => {
        const problem = refused(checkDetailsPatch({ title: 'ok', status: 'READY' }));

        expect(problem.field).to.equal('status');
        expect(problem.message).to.equal(
          '"status" is not a field that can be changed; send only "title", "description", "visibility".',
        );
      });

      it('refuses an empty change', () => {
        expect(refused(checkDetailsPatch({})).message).to.match(/^Nothing to change/);
      });

      it('refuses a body that is not an object', () => {
        for (const body of [null, [], 'title', 3]) expect(checkDetailsPatch(body).ok).to.equal(false);
      });

      it('reports the first bad field of several', () => {
        expect(refused(checkDetailsPatch({ title: '', description: 5 })).field).to.equal('title');
        expect(refused(checkDetailsPatch({ title: 'ok', description: 5 })).field).to.equal('description');
        expect(refused(checkDetailsPatch({ title: 'ok', visibility: 'x' })).field).to.equal('visibility');
      });
    });
  });
});
