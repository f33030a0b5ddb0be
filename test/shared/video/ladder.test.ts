import { expect } from 'chai';
import {
  BASE_RENDITION,
  chooseRenditions,
  displaySize,
  HIGHER_CAP_MIN_PIXELS,
  highestRendition,
  normalizeLadder,
  orientationOf,
  renditionBox,
  RENDITIONS,
  type Rendition,
  type SourcePicture,
} from '#shared/video';

const FULL: readonly Rendition[] = ['1080p', '720p', 'web-720p'];
const TWO: readonly Rendition[] = ['720p', 'web-720p'];
const ONE: readonly Rendition[] = ['web-720p'];
const MBPS = 1_000_000;

/** The table of sources: what the probe reports, and the ladder that adds only what a viewer can see. */
const SOURCES: readonly { name: string; source: SourcePicture; ladder: readonly Rendition[] }[] = [
  { name: '4K UHD 3840×2160', source: { width: 3840, height: 2160, bitRate: 40 * MBPS }, ladder: FULL },
  { name: '1080p 1920×1080', source: { width: 1920, height: 1080, bitRate: 8 * MBPS }, ladder: FULL },
  {
    name: '1080p at a low bit rate (size alone decides)',
    source: { width: 1920, height: 1080, bitRate: 0.8 * MBPS },
    ladder: FULL,
  },
  { name: '720p at 5 Mb/s', source: { width: 1280, height: 720, bitRate: 5 * MBPS }, ladder: TWO },
  { name: '720p at 1.2 Mb/s', source: { width: 1280, height: 720, bitRate: 1.2 * MBPS }, ladder: ONE },
  {
    name: '720p at exactly web-720p’s 1.5 Mb/s cap',
    source: { width: 1280, height: 720, bitRate: 1.5 * MBPS },
    ladder: ONE,
  },
  { name: '720p, bit rate unknown', source: { width: 1280, height: 720 }, ladder: TWO },
  { name: '540p 960×540 at 2 Mb/s', source: { width: 960, height: 540, bitRate: 2 * MBPS }, ladder: TWO },
  { name: '480p 854×480 at 3.1 Mb/s', source: { width: 854, height: 480, bitRate: 3.1 * MBPS }, ladder: ONE },
  { name: '480p 4:3 640×480, bit rate unknown', source: { width: 640, height: 480 }, ladder: ONE },
  { name: '240p 320×240', source: { width: 320, height: 240, bitRate: 0.7 * MBPS }, ladder: ONE },
  { name: 'portrait 1080×1920', source: { width: 1080, height: 1920, bitRate: 8 * MBPS }, ladder: FULL },
  {
    name: 'phone portrait: 1920×1080 coded, rotated 90°',
    source: { width: 1920, height: 1080, rotation: 90, bitRate: 8 * MBPS },
    ladder: FULL,
  },
  {
    name: 'phone portrait 720p: 1280×720 coded, rotated 270° (720×1280 on screen), at 1 Mb/s',
    source: { width: 1280, height: 720, rotation: 270, bitRate: 1 * MBPS },
    ladder: ONE,
  },
  {
    name: 'portrait 720×1280 at 4 Mb/s',
    source: { width: 720, height: 1280, bitRate: 4 * MBPS },
    ladder: TWO,
  },
  {
    name: 'portrait 721×1281',
    source: { width: 721, height: 1281, bitRate: 1 * MBPS },
    ladder: FULL,
  },
  {
    name: '720p upside down (rotated 180°) at 1 Mb/s',
    source: { width: 1280, height: 720, rotation: 180, bitRate: 1 * MBPS },
    ladder: ONE,
  },
  {
    name: '480p rotated 90° (480×854 on screen)',
    source: { width: 854, height: 480, rotation: 90, bitRate: 1 * MBPS },
    ladder: ONE,
  },
  { name: 'square 1080×1080', source: { width: 1080, height: 1080, bitRate: 4 * MBPS }, ladder: FULL },
  { name: 'square 720×720 at 2 Mb/s', source: { width: 720, height: 720, bitRate: 2 * MBPS }, ladder: TWO },
  { name: 'square 720×720 at 1 Mb/s', source: { width: 720, height: 720, bitRate: 1 * MBPS }, ladder: ONE },
  { name: 'odd 101×75', source: { width: 101, height: 75, bitRate: 0.2 * MBPS }, ladder: ONE },
  { name: 'odd 1281×721', source: { width: 1281, height: 721, bitRate: 1 * MBPS }, ladder: FULL },
  {
    name: 'cinemascope 1600×668 (short side under 720, but wider than 1280)',
    source: { width: 1600, height: 668, bitRate: 3 * MBPS },
    ladder: FULL,
  },
];

describe('unit', () => {
  describe('the rendition ladder', () => {
    describe('chooseRenditions', () => {
      for (const { name, source, ladder } of SOURCES) {
        it(`makes ${ladder.join(', ')} for ${name}`, () => {
          const choice = chooseRenditions(source);

          expect(choice).to.deep.equal({ renditions: ladder });
        });
      }

      const unknown: readonly [string, SourcePicture | undefined][] = [
        ['no probe result', undefined],
        ['a missing width', { height: 1080, bitRate: MBPS }],
        ['a missing height', { width: 1920 }],
        ['a zero width', { width: 0, height: 1080 }],
        ['a zero height', { width: 1920, height: 0 }],
        ['a negative size', { width: -1280, height: -720 }],
        ['a size that is not a number', { width: Number.NaN, height: 720 }],
      ];
      for (const [name, source] of unknown) {
        it(`falls back to the full ladder, saying why, for ${name}`, () => {
          const choice = chooseRenditions(source);

          expect(choice.renditions).to.deep.equal(FULL);
          expect(choice.fallback).to.match(/size is unknown/);
        });
      }

      it('always makes web-720p and lists the ladder highest first', () => {
        for (const { source } of SOURCES) {
          const { renditions } = chooseRenditions(source);
          expect(renditions.at(-1)).to.equal(BASE_RENDITION);
          expect(renditions).to.deep.equal(RENDITIONS.filter((r) => renditions.includes(r)));
        }
      });

      it('puts the higher cap’s threshold at half of the 1280×720 box', () => {
        expect(HIGHER_CAP_MIN_PIXELS).to.equal(460_800);
        expect(chooseRenditions({ width: 960, height: 480, bitRate: 2 * MBPS }).renditions).to.deep.equal(
          ONE,
        );
        expect(chooseRenditions({ width: 962, height: 480, bitRate: 2 * MBPS }).renditions).to.deep.equal(
          TWO,
        );
      });
    });

    describe('renditionBox and orientationOf', () => {
      it('turns every box for portrait pictures, and only for them', () => {
        expect(renditionBox('1080p', 'landscape')).to.deep.equal({ width: 1920, height: 1080 });
        expect(renditionBox('1080p', 'portrait')).to.deep.equal({ width: 1080, height: 1920 });
        expect(renditionBox('web-720p', 'portrait')).to.deep.equal({ width: 720, height: 1280 });
        expect(orientationOf({ width: 1080, height: 1920 })).to.equal('portrait');
        expect(orientationOf({ width: 1080, height: 1080 })).to.equal('landscape');
        expect(orientationOf({ width: 1920, height: 1080 })).to.equal('landscape');
      });
    });

    describe('displaySize', () => {
      it('turns the picture for quarter rotations only', () => {
        expect(displaySize({ width: 1920, height: 1080, rotation: 90 })).to.deep.equal({
          width: 1080,
          height: 1920,
        });
        expect(displaySize({ width: 1920, height: 1080, rotation: -90 })).to.deep.equal({
          width: 1080,
          height: 1920,
        });
        expect(displaySize({ width: 1920, height: 1080, rotation: 180 })).to.deep.equal({
          width: 1920,
          height: 1080,
        });
        expect(displaySize({ width: 1920, height: 1080 })).to.deep.equal({ width: 1920, height: 1080 });
      });
    });

    describe('highestRendition and normalizeLadder', () => {
      it('names the highest rendition of a ladder', () => {
        expect(highestRendition(FULL)).to.equal('1080p');
        expect(highestRendition(TWO)).to.equal('720p');
        expect(highestRendition(['web-720p', '720p'])).to.equal('720p');
        expect(highestRendition(ONE)).to.equal('web-720p');
      });

      it('orders a ladder highest first, once each, without unknown names', () => {
        expect(normalizeLadder(['web-720p', '1080p', 'web-720p', '480p', '720p'])).to.deep.equal(FULL);
      });

      it('refuses a ladder without web-720p', () => {
        expect(() => normalizeLadder(['1080p'])).to.throw(TypeError, /web-720p/);
        expect(() => normalizeLadder([])).to.throw(TypeError, /web-720p/);
      });
    });
  });
});
