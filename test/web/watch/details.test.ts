import { expect } from 'chai';
import { detailsPatch, detailsProblems } from '#web/watch/details.ts';

describe('web watch details', () => {
  describe('detailsPatch', () => {
    it('sends only what changed, the title trimmed', () => {
      // Act
      const patch = detailsPatch(
        { title: 'Old', description: 'Same' },
        { title: '  New  ', description: 'Same' },
      );

      // Assert
      expect(patch).to.deep.equal({ title: 'New' });
    });

    it('sets no title when the filename shown in its place is left untouched', () => {
      expect(detailsPatch({ filename: 'a.mp4' }, { title: 'a.mp4', description: '' })).to.deep.equal({});
      expect(detailsPatch({ filename: 'a.mp4' }, { title: 'Trip', description: '' })).to.deep.equal({
        title: 'Trip',
      });
    });

    it('sends a cleared description, and a cleared title for the rules to refuse', () => {
      expect(
        detailsPatch({ title: 'T', description: 'Old' }, { title: 'T', description: '\n' }),
      ).to.deep.equal({
        description: '',
      });
      expect(detailsPatch({ title: 'T' }, { title: ' ', description: '' })).to.deep.equal({ title: '' });
    });
  });

  describe('detailsProblems', () => {
    it('gives the API’s message for each field it would refuse', () => {
      expect(detailsProblems({ title: '', description: 'x'.repeat(2001) })).to.deep.equal({
        title: '"title" must not be empty; give the video a name.',
        description: '"description" is 2001 characters; use at most 2000.',
      });
      expect(detailsProblems({ title: 'Fine', description: 'Two\nlines' })).to.deep.equal({});
    });
  });
});
