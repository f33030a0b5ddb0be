import { expect } from 'chai';
import fc from 'fast-check';
import { code, fence, fitComment, truncateLines } from '#tools/plan-review/markdown.ts';

describe('markdown', () => {
  describe('code', () => {
    it('never ends a table cell or a line early, whatever the text', () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          const span = code(text);

          expect(span).not.to.include('\n');
          expect(span.replace(/\\\|/g, '')).not.to.include('|');
        }),
      );
    });

    it('fences text containing backticks with a longer run', () => {
      expect(code('a`b')).to.equal('``a`b``');
    });
  });

  describe('fence', () => {
    it('uses a fence longer than any in the body', () => {
      expect(fence('```\nx\n```', 'diff').startsWith('````diff\n')).to.equal(true);
    });
  });

  describe('truncateLines', () => {
    it('keeps whole lines within the limit and says how many were left out', () => {
      const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');

      const cut = truncateLines(text, 200, 'See the artifact.');

      expect(cut.length).to.be.at.most(200);
      expect(cut.startsWith('line 0\nline 1\n')).to.equal(true);
      const [, omitted] = cut.match(/truncated: (\d+) more lines/) ?? [];
      expect(cut.split('\n').length - 1 + Number(omitted)).to.equal(100);
    });
  });

  describe('fitComment', () => {
    it('stays under the limit for any mix of main part and folded sections', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 3000 }),
          fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 4 }),
          fc.integer({ min: 5000, max: 20_000 }),
          (rows, sections, limit) => {
            const main = (maxRows: number) =>
              Array.from({ length: Math.min(rows, maxRows) }, (_, i) => `| row ${i} | value |`).join('\n');
            const folded = sections.map((lines, i) => ({
              summary: `section ${i}`,
              body: Array.from({ length: lines }, (_, j) => `+ line ${j}`).join('\n'),
            }));

            const comment = fitComment(main, folded, 'hint', limit);

            expect(comment.length).to.be.lessThan(limit);
            expect(comment.match(/<\/details>/g)?.length ?? 0).to.equal(sections.length);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
