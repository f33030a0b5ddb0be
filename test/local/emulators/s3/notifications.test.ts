import { expect } from 'chai';
import fc from 'fast-check';
import {
  configMatches,
  type NotificationConfig,
  s3EventBridgeEntry,
  s3EventRecord,
  sequencerSource,
} from '#local/emulators/s3/notifications.ts';
import { decodeS3Key } from '#shared/events';

const config = (overrides: Partial<NotificationConfig> = {}): NotificationConfig => ({
  id: 'renditions',
  events: ['s3:ObjectCreated:*'],
  prefix: 'videos/',
  suffix: '.mp4',
  target: { kind: 'sns', arn: 'arn:aws:sns:us-east-1:000000000000:t' },
  ...overrides,
});

describe('unit', () => {
  describe('S3 notification filters', () => {
    it('selects an event whose type, prefix and suffix all match', () => {
      expect(configMatches(config(), 'ObjectCreated:Put', 'videos/a/1080p.mp4')).to.equal(true);
    });

    it('drops an event outside the prefix, with another suffix, or of another type', () => {
      expect(configMatches(config(), 'ObjectCreated:Put', 'uploads/a.mp4')).to.equal(false);
      expect(configMatches(config(), 'ObjectCreated:Put', 'videos/a/metadata.json')).to.equal(false);
      expect(configMatches(config(), 'ObjectRemoved:Delete', 'videos/a/1080p.mp4')).to.equal(false);
      expect(
        configMatches(config({ events: ['s3:ObjectCreated:Post'] }), 'ObjectCreated:Put', 'videos/a.mp4'),
      ).to.equal(false);
    });
  });

  describe('S3 event records', () => {
    it('carries every key encoded so that decoding gives it back', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (key) => {
          const record = s3EventRecord(
            { bucket: 'b', key, size: 1 },
            {
              eventName: 'ObjectCreated:Put',
              configurationId: 'c',
              region: 'us-east-1',
              sequencer: '00',
              time: new Date(0),
            },
          ) as { s3: { object: { key: string } } };
          expect(decodeS3Key(record.s3.object.key)).to.equal(key);
        }),
      );
    });

    it('writes spaces as + and a literal + as %2B, as S3 does', () => {
      const record = s3EventRecord(
        { bucket: 'b', key: 'my clip+1.mp4', size: 1, eTag: 'e' },
        {
          eventName: 'ObjectCreated:Put',
          configurationId: 'c',
          region: 'us-east-1',
          sequencer: '00',
          time: new Date(0),
        },
      ) as { s3: { object: Record<string, unknown> } };

      expect(record.s3.object).to.deep.equal({ key: 'my+clip%2B1.mp4', size: 1, eTag: 'e', sequencer: '00' });
    });

    it('hands out sequencers that increase in event order', () => {
      const next = sequencerSource();

      const sequencers = Array.from({ length: 50 }, () => next());

      expect([...sequencers].sort()).to.deep.equal(sequencers);
      expect(new Set(sequencers).size).to.equal(50);
    });
  });

  describe('S3 EventBridge events', () => {
    const options = (eventName: string) => ({
      eventName,
      sequencer: '0000000000000001',
      requester: '000000000000',
      time: new Date(0),
    });

    it('shapes an Object Created event as S3 puts it on the bus, with the key URL-encoded', () => {
      const entry = s3EventBridgeEntry(
        { bucket: 'uploads', key: 'a/my notes+1 é.txt', size: 11, eTag: 'e', versionId: 'v1' },
        options('ObjectCreated:Put'),
      );

      expect(entry).to.deep.equal({
        source: 'aws.s3',
        detailType: 'Object Created',
        resources: ['arn:aws:s3:::uploads'],
        time: new Date(0),
        detail: {
          version: '0',
          bucket: { name: 'uploads' },
          object: {
            key: 'a/my+notes%2B1+%C3%A9.txt',
            size: 11,
            etag: 'e',
            'version-id': 'v1',
            sequencer: '0000000000000001',
          },
          'request-id': '0000000000000001',
          requester: '000000000000',
          'source-ip-address': '127.0.0.1',
          reason: 'PutObject',
        },
      });
    });

    it('names the creating API as the reason', () => {
      const reasons = [
        'ObjectCreated:Put',
        'ObjectCreated:Post',
        'ObjectCreated:Copy',
        'ObjectCreated:CompleteMultipartUpload',
      ].map((name) => s3EventBridgeEntry({ bucket: 'b', key: 'k', size: 1 }, options(name))?.detail.reason);

      expect(reasons).to.deep.equal(['PutObject', 'POST Object', 'CopyObject', 'CompleteMultipartUpload']);
    });

    it('makes no Object Created event for other event types', () => {
      expect(
        s3EventBridgeEntry({ bucket: 'b', key: 'k', size: 0 }, options('ObjectRemoved:Delete')),
      ).to.equal(undefined);
    });
  });
});
