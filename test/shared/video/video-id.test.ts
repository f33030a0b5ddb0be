import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  isVideoId,
  newVideoId,
  parseUploadKey,
  uploadPrefix,
  VIDEO_ID_PATTERN,
  videoIdForUpload,
} from '#shared/video/video-id';

const ISSUED = 'AbCdEfGhIjKlMnOpQrStUv';

describe('unit', () => {
  describe('videoIdForUpload', () => {
    it('returns the id an API-issued upload key carries', () => {
      const id = videoIdForUpload({ bucket: 'uploads', key: `uploads/user-1/${ISSUED}/my holiday.mov` });

      expect(id).to.equal(ISSUED);
    });

    it('gives the same id for the same upload every time, so duplicate events collapse', () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 1 }),
          fc.string({ minLength: 1 }),
          fc.option(fc.string()),
          (bucket, key, v) => {
            const upload = { bucket, key, versionId: v ?? undefined };

            expect(videoIdForUpload(upload)).to.equal(videoIdForUpload({ ...upload }));
          },
        ),
      );
    });

    it('always returns a URL-safe 22-character id', () => {
      fc.assert(
        fc.property(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.option(fc.string()),
          (bucket, key, v) => {
            const id = videoIdForUpload({ bucket, key, versionId: v ?? undefined });

            expect(id).to.match(VIDEO_ID_PATTERN);
            expect(encodeURIComponent(id)).to.equal(id);
          },
        ),
      );
    });

    it('gives different ids to different keys, buckets and versions', () => {
      const base = { bucket: 'uploads', key: 'holiday.mov', versionId: 'v1' };

      const ids = [
        videoIdForUpload(base),
        videoIdForUpload({ ...base, key: 'holiday2.mov' }),
        videoIdForUpload({ ...base, bucket: 'other' }),
        videoIdForUpload({ ...base, versionId: 'v2' }),
        videoIdForUpload({ bucket: 'uploads', key: 'holiday.mov' }),
      ];

      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('does not let a bucket/key split collide (a\\nb vs a, b)', () => {
      expect(videoIdForUpload({ bucket: 'a', key: 'b/c' })).not.to.equal(
        videoIdForUpload({ bucket: 'a/b', key: 'c' }),
      );
    });
  });

  describe('issued ids and upload keys', () => {
    it('makes fresh ids of the video id shape from 16 random bytes', () => {
      const id = newVideoId(randomBytes);

      expect(isVideoId(id)).to.equal(true);
    });

    it('round-trips an upload prefix through parseUploadKey', () => {
      const key = `${uploadPrefix('user-1', ISSUED)}clip.final.v2.mov`;

      expect(parseUploadKey(key)).to.deep.equal({
        userId: 'user-1',
        videoId: ISSUED,
        filename: 'clip.final.v2.mov',
      });
    });

    it('does not treat other keys as issued uploads', () => {
      expect(parseUploadKey('uploads/user-1/short/clip.mov')).to.equal(undefined);
      expect(parseUploadKey(`incoming/user-1/${ISSUED}/clip.mov`)).to.equal(undefined);
      expect(parseUploadKey(`uploads/user-1/${ISSUED}/`)).to.equal(undefined);
    });
  });
});
