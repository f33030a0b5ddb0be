import { expect } from 'chai';
import { matchesPattern } from '../../../local/emulators/event-pattern.ts';

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
  });
});
