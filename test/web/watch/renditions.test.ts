import { expect } from 'chai';
import type { RenditionView } from '#web/api/types.ts';
import { pickRendition, qualityChoices, renditionLabel } from '#web/watch/renditions.ts';

const LADDER: RenditionView[] = [
  { rendition: '1080p', width: 1920, height: 1080, url: 'u1080' },
  { rendition: '720p', width: 1280, height: 720, url: 'u720' },
  { rendition: 'web-720p', width: 1280, height: 720, url: 'uweb' },
];

describe('web watch renditions', () => {
  describe('pickRendition', () => {
    it('plays the rendition asked for in the address', () => {
      expect(pickRendition(LADDER, 'web-720p', 3840)?.url).to.equal('uweb');
    });

    it('otherwise picks the smallest one at least as wide as the screen', () => {
      expect(pickRendition(LADDER, null, 1280)?.url).to.equal('uweb');
      expect(pickRendition(LADDER, null, 1500)?.url).to.equal('u1080');
    });

    it('falls back to the highest for a screen wider than all, an unknown request, or no sizes', () => {
      expect(pickRendition(LADDER, 'nope', 3840)?.url).to.equal('u1080');
      expect(
        pickRendition(
          [
            { rendition: '720p', url: 'a' },
            { rendition: 'web-720p', url: 'b' },
          ],
          null,
          500,
        )?.url,
      ).to.equal('a');
    });

    it('plays the only rendition a small source has (the picker is hidden then)', () => {
      expect(
        pickRendition([{ rendition: 'web-720p', width: 320, height: 240, url: 'only' }], '1080p', 3000)?.url,
      ).to.equal('only');
      expect(pickRendition([], null, 1000)).to.equal(undefined);
    });
  });

  describe('qualityChoices', () => {
    it('offers every rendition of a video that has several, highest first', () => {
      expect(qualityChoices(LADDER).map((r) => r.rendition)).to.deep.equal(['1080p', '720p', 'web-720p']);
      expect(qualityChoices(LADDER.slice(1)).map((r) => r.rendition)).to.deep.equal(['720p', 'web-720p']);
    });

    it('offers nothing, so the picker hides, when a small source has only one rendition', () => {
      expect(qualityChoices([{ rendition: 'web-720p', width: 320, height: 240, url: 'only' }])).to.deep.equal(
        [],
      );
      expect(qualityChoices([])).to.deep.equal([]);
    });
  });

  describe('renditionLabel', () => {
    it('names the rendition and its size', () => {
      expect(LADDER.map(renditionLabel)).to.deep.equal([
        '1080p (1920×1080)',
        '720p (1280×720)',
        '720p, smaller file (1280×720)',
      ]);
      expect(renditionLabel({ rendition: 'web-720p', url: 'x' })).to.equal('720p, smaller file');
    });
  });
});
