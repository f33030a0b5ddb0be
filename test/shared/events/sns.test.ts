import { expect } from 'chai';
import { isSnsEvent, UnrecognizedEventError, unwrapSns } from '#shared/events';
import { loadEventFixture } from '../../support/fixtures.ts';

describe('unit', () => {
  describe('unwrapSns', () => {
    it('returns each message with its envelope and JSON body', () => {
      const event = loadEventFixture('sns-s3-test-event');

      const messages = unwrapSns(event);

      expect(messages).to.have.length(1);
      expect(messages[0]).to.deep.include({
        messageId: 'c8d2a8c2-7d6f-5b6e-9b0e-1f6b4e2f0a11',
        topicArn: 'arn:aws:sns:us-east-1:123456789012:24hv-transcoded-video-dev',
        subject: 'Amazon S3 Notification',
        timestamp: '2026-11-24T10:21:44.214Z',
        attributes: {},
      });
      expect(messages[0]?.body).to.deep.include({ Event: 's3:TestEvent', Bucket: '24hv-transcoded-dev' });
    });

    it('returns every message of a multi-record event, in order', () => {
      const messages = unwrapSns(loadEventFixture('sns-s3-multiple'));

      expect(messages.map((m) => m.messageId)).to.deep.equal([
        'c8d2a8c2-7d6f-5b6e-9b0e-1f6b4e2f0a11',
        'a1b2c3d4-0000-5e6f-8a9b-0c1d2e3f4a5b',
      ]);
    });

    it('keeps string message attributes by name', () => {
      const event = loadEventFixture<{ Records: { Sns: { MessageAttributes: unknown } }[] }>('sns-s3-put');
      const [record] = event.Records;
      if (!record) throw new Error('fixture has no record');
      record.Sns.MessageAttributes = { videoId: { Type: 'String', Value: 'abc' } };

      const [message] = unwrapSns(event);

      expect(message?.attributes).to.deep.equal({ videoId: 'abc' });
    });

    it('throws UnrecognizedEventError for a direct S3 event', () => {
      expect(() => unwrapSns(loadEventFixture('s3-put'))).to.throw(
        UnrecognizedEventError,
        /Record #0 is not an SNS notification/,
      );
    });

    it('throws UnrecognizedEventError for a value without Records', () => {
      expect(() => unwrapSns(null)).to.throw(UnrecognizedEventError, /Expected an SNS event.*got null/);
    });
  });

  describe('isSnsEvent', () => {
    it('tells SNS events from S3 events', () => {
      expect(isSnsEvent(loadEventFixture('sns-s3-put'))).to.equal(true);
      expect(isSnsEvent(loadEventFixture('s3-put'))).to.equal(false);
      expect(isSnsEvent({ Records: [] })).to.equal(false);
    });
  });
});
