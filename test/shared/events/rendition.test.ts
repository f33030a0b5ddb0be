import { expect } from 'chai';
import sinon from 'sinon';
import { renditionOf, type S3ObjectRecord } from '#shared/events';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

function record(overrides: Partial<S3ObjectRecord>): S3ObjectRecord {
  return {
    eventName: 'ObjectCreated:Put',
    bucket: 'transcoded',
    key: `videos/${VIDEO_ID}/720p.mp4`,
    size: 1000,
    eventTime: '2026-11-24T12:00:00.000Z',
    ...overrides,
  };
}

describe('unit', () => {
  describe('renditionOf', () => {
    const logger = { info: sinon.stub(), warn: sinon.stub() };
    afterEach(() => sinon.resetHistory());

    it('names the video and rendition of a rendition key in the expected bucket', () => {
      const result = renditionOf(record({}), logger, 'transcoded');

      expect(result).to.deep.equal({
        videoId: VIDEO_ID,
        rendition: '720p',
        bucket: 'transcoded',
        key: `videos/${VIDEO_ID}/720p.mp4`,
      });
      expect(logger.info.called || logger.warn.called).to.equal(false);
    });

    it('ignores a key outside the layout (metadata.json, a poster) with an info line', () => {
      const result = renditionOf(record({ key: `videos/${VIDEO_ID}/metadata.json` }), logger, 'transcoded');

      expect(result).to.equal(undefined);
      expect(logger.info.firstCall.args).to.deep.equal([
        'Not a rendition key; ignored',
        { bucket: 'transcoded', key: `videos/${VIDEO_ID}/metadata.json` },
      ]);
    });

    it('ignores another bucket with a warning naming the bucket it expected', () => {
      const result = renditionOf(record({ bucket: 'uploads' }), logger, 'transcoded');

      expect(result).to.equal(undefined);
      expect(logger.warn.firstCall.args[1]).to.include({ bucket: 'uploads', expectedBucket: 'transcoded' });
    });

    it('accepts any bucket when none is expected', () => {
      expect(renditionOf(record({ bucket: 'elsewhere' }), logger)).to.include({ rendition: '720p' });
    });
  });
});
