import { expect } from 'chai';
import sinon from 'sinon';
import {
  forEachS3Record,
  MalformedKeyError,
  parseS3Records,
  RecordBatchError,
  type S3ObjectRecord,
  UnrecognizedEventError,
} from '#shared/events';
import { loadEventFixture } from '../../support/fixtures.ts';

interface S3EventShape {
  Records: { s3: { object: { key: string; size?: unknown } }; eventName?: unknown }[];
}

interface EventBridgeShape {
  'detail-type': string;
  detail: { reason?: string; object: Record<string, unknown> };
}

describe('unit', () => {
  describe('parseS3Records', () => {
    describe('direct S3 events', () => {
      it('returns the record with its key decoded and every field S3 sent', () => {
        const event = loadEventFixture('s3-put');

        const records = parseS3Records(event);

        expect(records).to.deep.equal([
          {
            eventName: 'ObjectCreated:Put',
            bucket: '24hv-upload-dev',
            key: 'uploads/user-123/AbCdEfGhIjKlMnOpQrStUv/my holiday videoé + more.mov',
            size: 5242880,
            eTag: 'd41d8cd98f00b204e9800998ecf8427e',
            versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
            sequencer: '0055AED6DCD90281E5',
            eventTime: '2026-11-24T10:15:30.123Z',
          },
        ]);
      });

      it('returns every record in order, not only the first', () => {
        const event = loadEventFixture('s3-put-multiple');

        const records = parseS3Records(event);

        expect(records.map((r) => r.key)).to.deep.equal([
          'incoming/2026/11/24/camera roll/clip.final.v2.MP4',
          'my.trip.to.rome.2026.mp4',
          'uploads/user-123/AbCdEfGhIjKlMnOpQrStUv/my holiday videoé + more.mov',
        ]);
        expect(records.map((r) => r.eventName)).to.deep.equal([
          'ObjectCreated:CompleteMultipartUpload',
          'ObjectCreated:Put',
          'ObjectCreated:Put',
        ]);
      });

      it('leaves out optional fields S3 did not send', () => {
        const event = loadEventFixture<S3EventShape>('s3-put-multiple');

        const [first] = parseS3Records(event);

        expect(first).not.to.have.property('versionId');
        expect(first?.size).to.equal(73400320);
      });

      it('returns no records for an empty Records array', () => {
        expect(parseS3Records({ Records: [] })).to.deep.equal([]);
      });
    });

    describe('SNS envelopes', () => {
      it('unwraps an S3 event published to SNS', () => {
        const event = loadEventFixture('sns-s3-put');

        const records = parseS3Records(event);

        expect(records).to.deep.equal([
          {
            eventName: 'ObjectCreated:Put',
            bucket: '24hv-transcoded-dev',
            key: 'videos/AbCdEfGhIjKlMnOpQrStUv/1080p.mp4',
            size: 2841937,
            eTag: '7c0e1d5cbd4c0f5f2f3c2d1b9a8e7f60',
            sequencer: '0055AED6DCDA0F1C22',
            eventTime: '2026-11-24T10:21:43.987Z',
          },
        ]);
      });

      it('skips s3:TestEvent messages and returns every record of the other messages', () => {
        const event = loadEventFixture('sns-s3-multiple');

        const records = parseS3Records(event);

        expect(records.map((r) => r.key)).to.deep.equal([
          'videos/AbCdEfGhIjKlMnOpQrStUv/720p.mp4',
          'videos/AbCdEfGhIjKlMnOpQrStUv/web-720p.mp4',
        ]);
      });

      it('returns nothing for an SNS event holding only the test event', () => {
        expect(parseS3Records(loadEventFixture('sns-s3-test-event'))).to.deep.equal([]);
      });

      it('returns nothing for a bare s3:TestEvent', () => {
        expect(parseS3Records({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' })).to.deep.equal(
          [],
        );
      });

      it('rejects an SNS message that is not an S3 event, naming the message', () => {
        const event = loadEventFixture<{ Records: { Sns: { Message: string } }[] }>('sns-s3-put');
        const [record] = event.Records;
        if (!record) throw new Error('fixture has no record');
        record.Sns.Message = JSON.stringify({ state: 'COMPLETED', jobId: '1' });

        const act = () => parseS3Records(event);

        expect(act).to.throw(
          UnrecognizedEventError,
          /95df01b4-ee98-5cb9-9903-4c221d41eb5e.*does not carry an S3 event/,
        );
      });

      it('rejects an SNS message that is not JSON', () => {
        const event = loadEventFixture<{ Records: { Sns: { Message: string } }[] }>('sns-s3-put');
        const [record] = event.Records;
        if (!record) throw new Error('fixture has no record');
        record.Sns.Message = 'hello';

        expect(() => parseS3Records(event)).to.throw(UnrecognizedEventError, /not JSON/);
      });
    });

    describe('EventBridge "Object Created" events from aws.s3', () => {
      it('returns one record with the key decoded as for notifications, and every field S3 sent', () => {
        const event = loadEventFixture('eventbridge-s3-object-created');

        const records = parseS3Records(event);

        expect(records).to.deep.equal([
          {
            eventName: 'ObjectCreated:Put',
            bucket: '24hv-upload-dev',
            key: 'uploads/user-123/AbCdEfGhIjKlMnOpQrStUv/my holiday notesé + more.txt',
            size: 2048,
            eTag: 'b1946ac92492d2347c6235b4d2611184',
            versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
            sequencer: '00617F08299329D189',
            eventTime: '2026-11-24T10:15:30Z',
          },
        ]);
      });

      for (const [reason, eventName] of [
        ['PutObject', 'ObjectCreated:Put'],
        ['POST Object', 'ObjectCreated:Post'],
        ['CopyObject', 'ObjectCreated:Copy'],
        ['CompleteMultipartUpload', 'ObjectCreated:CompleteMultipartUpload'],
        ['SomeFutureApi', 'ObjectCreated:SomeFutureApi'],
      ] as const) {
        it(`names the event ${eventName} when the reason is "${reason}"`, () => {
          const event = loadEventFixture<EventBridgeShape>('eventbridge-s3-object-created');
          event.detail.reason = reason;

          const [record] = parseS3Records(event);

          expect(record?.eventName).to.equal(eventName);
        });
      }

      it('leaves out optional fields S3 did not send (unversioned bucket)', () => {
        const event = loadEventFixture<EventBridgeShape>('eventbridge-s3-object-created');
        delete event.detail.object['version-id'];
        delete event.detail.object.etag;

        const [record] = parseS3Records(event);

        expect(record).not.to.have.any.keys('versionId', 'eTag');
        expect(record?.size).to.equal(2048);
      });

      it('rejects other S3 detail types, naming the event', () => {
        const event = loadEventFixture<EventBridgeShape>('eventbridge-s3-object-created');
        event['detail-type'] = 'Object Deleted';

        expect(() => parseS3Records(event)).to.throw(
          UnrecognizedEventError,
          /17793124-05d4-b198-2fde-7ededc63b103.*"Object Deleted".*only "Object Created"/,
        );
      });

      it('rejects an event without detail.object.key', () => {
        const event = loadEventFixture<EventBridgeShape>('eventbridge-s3-object-created');
        event.detail.object = {};

        expect(() => parseS3Records(event)).to.throw(UnrecognizedEventError, /detail\.object\.key/);
      });

      it('rejects a non-numeric size', () => {
        const event = loadEventFixture<EventBridgeShape>('eventbridge-s3-object-created');
        event.detail.object.size = '2048';

        expect(() => parseS3Records(event)).to.throw(UnrecognizedEventError, /size/);
      });
    });

    describe('unknown shapes', () => {
      for (const [label, event] of [
        ['undefined', undefined],
        ['a string', 'Records'],
        ['an object without Records', { detail: {} }],
        ['Records that is not an array', { Records: {} }],
      ] as const) {
        it(`throws UnrecognizedEventError for ${label}`, () => {
          expect(() => parseS3Records(event)).to.throw(UnrecognizedEventError, /Expected an S3 event/);
        });
      }

      it('names the record that is not an S3 record', () => {
        const event = loadEventFixture<{ Records: unknown[] }>('s3-put-multiple');
        event.Records[1] = { eventSource: 'aws:sqs', body: '{}' };

        expect(() => parseS3Records(event)).to.throw(
          UnrecognizedEventError,
          /Record #1 is not an S3 object record/,
        );
      });

      it('rejects a non-numeric size', () => {
        const event = loadEventFixture<S3EventShape>('s3-put');
        const [record] = event.Records;
        if (!record) throw new Error('fixture has no record');
        record.s3.object.size = '12';

        expect(() => parseS3Records(event)).to.throw(UnrecognizedEventError, /size/);
      });
    });

    it('does not mutate the event it reads', () => {
      const event = loadEventFixture('s3-put-multiple');
      const before = structuredClone(event);

      parseS3Records(event);

      expect(event).to.deep.equal(before);
    });
  });

  describe('forEachS3Record', () => {
    it('still processes the other records when one key is malformed, then fails with that record alone', async () => {
      // Arrange
      const event = loadEventFixture<S3EventShape>('s3-put-multiple');
      const first = event.Records[0];
      if (!first) throw new Error('fixture has no records');
      first.s3.object.key = 'broken%E0%A4%A.mp4';
      const fn = sinon.stub<[S3ObjectRecord, number], Promise<void>>().resolves();

      // Act
      const error = await forEachS3Record(event, fn).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(fn.args.map(([record, index]) => [record.key, index])).to.deep.equal([
        ['my.trip.to.rome.2026.mp4', 1],
        ['uploads/user-123/AbCdEfGhIjKlMnOpQrStUv/my holiday videoé + more.mov', 2],
      ]);
      expect(error).to.be.instanceOf(RecordBatchError);
      const failures = (error as RecordBatchError).failures;
      expect(failures.map((f) => f.index)).to.deep.equal([0]);
      expect(failures[0]?.error).to.be.instanceOf(MalformedKeyError);
    });

    it('still processes the other SNS messages when one does not carry an S3 event', async () => {
      // Arrange
      const good = loadEventFixture<{ Records: { Sns: { Message: string } }[] }>('sns-s3-put');
      const bad = loadEventFixture<{ Records: { Sns: { Message: string; MessageId: string } }[] }>(
        'sns-s3-put',
      );
      const badRecord = bad.Records[0];
      if (!badRecord || !good.Records[0]) throw new Error('fixture has no records');
      badRecord.Sns.Message = JSON.stringify({ hello: 'world' });
      const event = { Records: [badRecord, good.Records[0]] };
      const fn = sinon.stub<[S3ObjectRecord, number], Promise<void>>().resolves();

      // Act
      const error = await forEachS3Record(event, fn).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(fn.callCount).to.equal(1);
      expect(fn.firstCall.args[1]).to.equal(1);
      expect(error).to.be.instanceOf(RecordBatchError);
      expect((error as RecordBatchError).failures[0]?.error).to.be.instanceOf(UnrecognizedEventError);
    });

    it('throws at once for an envelope of an unknown shape', async () => {
      const fn = sinon.stub().resolves();

      const error = await Promise.resolve()
        .then(() => forEachS3Record({ detail: {} }, fn))
        .then(
          () => undefined,
          (e: unknown) => e,
        );

      expect(error).to.be.instanceOf(UnrecognizedEventError);
      expect(fn.callCount).to.equal(0);
    });
  });
});
