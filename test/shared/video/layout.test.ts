import { expect } from 'chai';
import {
  metadataKey,
  OUTPUT_ROOT,
  outputPrefix,
  parseRenditionKey,
  posterBaseKey,
  RENDITION_SUFFIX,
  RENDITIONS,
  renditionKey,
} from '#shared/video';

const A = 'AbCdEfGhIjKlMnOpQrStUv';
const B = 'ZyXwVuTsRqPoNmLkJiHgFe';

describe('unit', () => {
  describe('output layout', () => {
    it('puts every output of a video under its own prefix', () => {
      const keys = [...RENDITIONS.map((r) => renditionKey(A, r)), metadataKey(A), posterBaseKey(A)];

      expect(outputPrefix(A)).to.equal(`${OUTPUT_ROOT}${A}/`);
      for (const key of keys) expect(key.startsWith(outputPrefix(A))).to.equal(true);
    });

    it('names the renditions, metadata and poster as documented', () => {
      expect(RENDITIONS.map((r) => renditionKey(A, r))).to.deep.equal([
        `videos/${A}/1080p.mp4`,
        `videos/${A}/720p.mp4`,
        `videos/${A}/web-720p.mp4`,
      ]);
      expect(metadataKey(A)).to.equal(`videos/${A}/metadata.json`);
      expect(posterBaseKey(A)).to.equal(`videos/${A}/poster`);
    });

    it('never collides between two videos, whatever their uploaded filenames', () => {
      const all = [A, B].flatMap((id) => [...RENDITIONS.map((r) => renditionKey(id, r)), metadataKey(id)]);

      expect(new Set(all).size).to.equal(all.length);
    });

    it('ends rendition keys, and only them, with the notifying suffix', () => {
      for (const r of RENDITIONS) expect(renditionKey(A, r).endsWith(RENDITION_SUFFIX)).to.equal(true);
      expect(metadataKey(A).endsWith(RENDITION_SUFFIX)).to.equal(false);
    });

    it('parses every rendition key back to its video and rendition', () => {
      for (const rendition of RENDITIONS) {
        expect(parseRenditionKey(renditionKey(A, rendition))).to.deep.equal({ videoId: A, rendition });
      }
    });

    for (const key of [
      `videos/${A}/metadata.json`,
      `videos/${A}/480p.mp4`,
      `videos/short/1080p.mp4`,
      `videos/${A}/nested/1080p.mp4`,
      `uploads/${A}/1080p.mp4`,
      `videos/${A}/1080p.mp4.tmp`,
    ]) {
      it(`does not parse ${key} as a rendition`, () => {
        expect(parseRenditionKey(key)).to.equal(undefined);
      });
    }
  });
});
