import { expect } from 'chai';
import { matchesPattern } from '#local/emulators/eventbridge';

const event = () =>
  structuredClone({
    source: 'aws.mediaconvert',
    'detail-type': 'MediaConvert Job State Change',
    detail: { status: 'COMPLETE', queue: 'arn:aws:mediaconvert:us-east-1:0:queues/q', percent: 40 },
  });

describe('unit', () => {
  describe('EventBridge event patterns', () => {
    it('matches when every field lists the value', () => {
      expect(
        matchesPattern(
          {
            source: ['aws.mediaconvert'],
            detail: {
              status: ['PROGRESSING', 'COMPLETE'],
              queue: ['arn:aws:mediaconvert:us-east-1:0:queues/q'],
            },
          },
          event(),
        ),
      ).to.equal(true);
    });

    it('does not match when a nested value differs', () => {
      expect(
        matchesPattern({ detail: { queue: ['arn:aws:mediaconvert:us-east-1:0:queues/other'] } }, event()),
      ).to.equal(false);
    });

    it('does not match when the field is absent', () => {
      expect(matchesPattern({ detail: { jobId: ['1'] } }, event())).to.equal(false);
    });

    it('applies prefix, anything-but, exists and numeric filters', () => {
      expect(matchesPattern({ source: [{ prefix: 'aws.' }] }, event())).to.equal(true);
      expect(matchesPattern({ detail: { status: [{ 'anything-but': ['ERROR'] }] } }, event())).to.equal(true);
      expect(matchesPattern({ detail: { status: [{ 'anything-but': ['COMPLETE'] }] } }, event())).to.equal(
        false,
      );
      expect(matchesPattern({ detail: { jobId: [{ exists: false }] } }, event())).to.equal(true);
      expect(matchesPattern({ detail: { percent: [{ numeric: ['>=', 40, '<', 50] }] } }, event())).to.equal(
        true,
      );
      expect(matchesPattern({ detail: { percent: [{ numeric: ['>', 40] }] } }, event())).to.equal(false);
    });

    describe('anything-but with suffix (the upload bucket rule)', () => {
      const s3Event = (key: string) =>
        structuredClone({ source: 'aws.s3', detail: { object: { key } } as Record<string, unknown> });
      const notVideo = (suffix: string | string[]) => ({
        detail: { object: { key: [{ 'anything-but': { suffix } }] } },
      });

      it('excludes a key ending with the one suffix given', () => {
        expect(matchesPattern(notVideo('.mp4'), s3Event('clip.mp4'))).to.equal(false);
        expect(matchesPattern(notVideo('.mp4'), s3Event('notes.txt'))).to.equal(true);
      });

      it('excludes a key ending with any suffix of a list, case-sensitively', () => {
        const pattern = notVideo(['.mp4', '.MP4', '.mov']);

        expect(matchesPattern(pattern, s3Event('a/b/clip.final.mp4'))).to.equal(false);
        expect(matchesPattern(pattern, s3Event('CLIP.MP4'))).to.equal(false);
        expect(matchesPattern(pattern, s3Event('trip.mov'))).to.equal(false);
        expect(matchesPattern(pattern, s3Event('notes.txt'))).to.equal(true);
        expect(matchesPattern(pattern, s3Event('clip.Mp4'))).to.equal(true);
        expect(matchesPattern(pattern, s3Event('mp4'))).to.equal(true);
      });

      it('does not match when the field is absent or not a string', () => {
        expect(matchesPattern(notVideo(['.mp4']), { source: 'aws.s3', detail: { object: {} } })).to.equal(
          false,
        );
        expect(matchesPattern(notVideo(['.mp4']), s3Event(7 as unknown as string))).to.equal(false);
      });

      it('takes a list under anything-but prefix and equals-ignore-case too', () => {
        const prefixes = {
          detail: { object: { key: [{ 'anything-but': { prefix: ['videos/', 'tmp/'] } }] } },
        };
        const ignoreCase = {
          detail: { object: { key: [{ 'anything-but': { 'equals-ignore-case': ['A', 'b'] } }] } },
        };

        expect(matchesPattern(prefixes, s3Event('tmp/x.txt'))).to.equal(false);
        expect(matchesPattern(prefixes, s3Event('uploads/x.txt'))).to.equal(true);
        expect(matchesPattern(ignoreCase, s3Event('B'))).to.equal(false);
        expect(matchesPattern(ignoreCase, s3Event('c'))).to.equal(true);
      });
    });

    it('applies suffix with equals-ignore-case', () => {
      const pattern = { detail: { status: [{ suffix: { 'equals-ignore-case': 'plete' } }] } };

      expect(matchesPattern(pattern, event())).to.equal(true);
    });
  });
});
