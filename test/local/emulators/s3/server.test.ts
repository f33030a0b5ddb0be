import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { expect } from 'chai';
import type { PutEventEntry } from '#local/emulators/eventbridge';
import { type LocalS3, type S3Notification, startS3 } from '#local/emulators/s3';
import { decodeS3Key } from '#shared/events';

async function postForm(
  url: string,
  fields: Record<string, string>,
  file: Buffer,
  contentType = 'video/mp4',
): Promise<{ status: number; body: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file], { type: contentType }), 'clip.mp4');
  const response = await fetch(url, { method: 'POST', body: form });
  return { status: response.status, body: await response.text() };
}

describe('integration', () => {
  describe('S3 emulator (s3rver behind the gateway)', () => {
    let dir: string;
    let s3: LocalS3;
    let received: S3Notification[];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 's3-emulator-'));
      s3 = await startS3({ dataDir: dir, region: 'eu-west-1' });
      await s3.createBucket('uploads');
      s3.setNotifications('uploads', [
        {
          id: 'videos',
          events: ['s3:ObjectCreated:*'],
          suffix: '.mp4',
          target: { kind: 'lambda', arn: 'arn:fn' },
        },
      ]);
      s3.notifications.on('notification', (n: S3Notification) => received.push(n));
    });

    beforeEach(() => {
      received = [];
    });

    after(async () => {
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

    it('notifies with the key URL-encoded as S3 does, size, eTag and sequencer when a matching object is put', async () => {
      const key = 'my video+final é.v2.mp4';

      await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'abc' }));
      await settle();

      expect(received).to.have.length(1);
      const record = received[0]?.event.Records[0] as {
        eventName: string;
        s3: { object: Record<string, unknown> };
      };
      expect(record.eventName).to.equal('ObjectCreated:Put');
      expect(record.s3.object.key).to.equal('my+video%2Bfinal+%C3%A9.v2.mp4');
      expect(decodeS3Key(String(record.s3.object.key))).to.equal(key);
      expect(record.s3.object.size).to.equal(3);
      expect(record.s3.object.eTag).to.equal('900150983cd24fb0d6963f7d28e17f72');
      expect(record.s3.object.sequencer).to.match(/^[0-9A-F]{16}$/);
      expect(received[0]?.target).to.deep.equal({ kind: 'lambda', arn: 'arn:fn' });
    });

    it('does not notify when the suffix filter does not match', async () => {
      await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'notes.txt', Body: 'abc' }));
      await settle();

      expect(received).to.have.length(0);
    });

    it('puts an Object Created event for every new object on EventBridge when the bucket sends events there', async () => {
      const entries: PutEventEntry[] = [];
      const onEntry = (entry: PutEventEntry) => entries.push(entry);
      s3.notifications.on('eventbridge', onEntry);
      s3.setEventBridge('uploads', true);
      try {
        await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'my notes+1.txt', Body: 'abc' }));
        await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'clip.mp4', Body: 'abcd' }));
        await s3.whenAnnounced();

        const byKey = new Map(entries.map((e) => [(e.detail.object as { key: string }).key, e]));
        // Keys travel URL-encoded, spaces as '+', as in S3's notifications.
        expect([...byKey.keys()].sort()).to.deep.equal(['clip.mp4', 'my+notes%2B1.txt']);
        const notes = byKey.get('my+notes%2B1.txt');
        if (!notes) throw new Error('no event for my notes+1.txt');
        expect(notes).to.deep.include({
          source: 'aws.s3',
          detailType: 'Object Created',
          resources: ['arn:aws:s3:::uploads'],
        });
        expect(notes.detail).to.deep.include({
          version: '0',
          bucket: { name: 'uploads' },
          reason: 'PutObject',
        });
        expect(notes.detail.object).to.deep.include({ size: 3, etag: '900150983cd24fb0d6963f7d28e17f72' });
        expect((notes.detail.object as { sequencer: string }).sequencer).to.match(/^[0-9A-F]{16}$/);
        // The bucket's own notification still selects only the .mp4.
        expect(received).to.have.length(1);
      } finally {
        s3.setEventBridge('uploads', false);
        s3.notifications.off('eventbridge', onEntry);
      }
    });

    it('puts nothing on EventBridge for a bucket that does not send events there', async () => {
      const entries: PutEventEntry[] = [];
      const onEntry = (entry: PutEventEntry) => entries.push(entry);
      s3.notifications.on('eventbridge', onEntry);
      try {
        await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'other.txt', Body: 'abc' }));
        await s3.whenAnnounced();

        expect(entries).to.deep.equal([]);
      } finally {
        s3.notifications.off('eventbridge', onEntry);
      }
    });

    it('gives every write to a versioned bucket a new version id, in the response and in the event', async () => {
      s3.setVersioning('uploads', true);
      try {
        const first = await s3.client.send(
          new PutObjectCommand({ Bucket: 'uploads', Key: 'again.mp4', Body: 'a' }),
        );
        const second = await s3.client.send(
          new PutObjectCommand({ Bucket: 'uploads', Key: 'again.mp4', Body: 'b' }),
        );
        await settle();

        const versions = received.map(
          (n) => (n.event.Records[0] as { s3: { object: { versionId?: string } } }).s3.object.versionId,
        );
        expect(first.VersionId).to.be.a('string');
        expect(second.VersionId).to.not.equal(first.VersionId);
        expect(versions).to.deep.equal([first.VersionId, second.VersionId]);
      } finally {
        s3.setVersioning('uploads', false);
      }
    });

    it('stores and returns object tags', async () => {
      await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'tagged.bin', Body: 'x' }));

      await s3.client.send(
        new PutObjectTaggingCommand({
          Bucket: 'uploads',
          Key: 'tagged.bin',
          Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] },
        }),
      );
      const tags = await s3.client.send(
        new GetObjectTaggingCommand({ Bucket: 'uploads', Key: 'tagged.bin' }),
      );

      expect(tags.TagSet).to.deep.equal([{ Key: 'visibility', Value: 'public' }]);
    });

    it('serves byte ranges of presigned GETs and counts only the bytes sent', async () => {
      const body = Buffer.alloc(10_000, 7);
      await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'ranged.bin', Body: body }));
      const url = await getSignedUrl(
        s3.client,
        new GetObjectCommand({ Bucket: 'uploads', Key: 'ranged.bin' }),
      );

      const response = await fetch(url, { headers: { range: 'bytes=100-199' } });
      const bytes = Buffer.from(await response.arrayBuffer());

      expect(response.status).to.equal(206);
      expect(bytes.length).to.equal(100);
      expect(s3.bytesServed.get('uploads/ranged.bin')).to.equal(100);
    });

    describe('browser POST policies', () => {
      const sign = (overrides: { expires?: number; max?: number } = {}) =>
        createPresignedPost(s3.client, {
          Bucket: 'uploads',
          Key: 'uploads/u1/clip.mp4',
          Conditions: [
            ['content-length-range', 1, overrides.max ?? 1000],
            ['starts-with', '$key', 'uploads/u1/'],
            ['starts-with', '$Content-Type', 'video/'],
          ],
          Fields: { 'Content-Type': 'video/mp4' },
          Expires: overrides.expires ?? 60,
        });

      it('stores the file and notifies ObjectCreated:Post when the form satisfies the policy', async () => {
        const { url, fields } = await sign();

        const reply = await postForm(url, fields, Buffer.from('video-bytes'));
        await settle();

        expect(reply.status).to.equal(204);
        expect(received.map((n) => (n.event.Records[0] as { eventName: string }).eventName)).to.deep.equal([
          'ObjectCreated:Post',
        ]);
      });

      it('answers EntityTooLarge when the file exceeds content-length-range', async () => {
        const { url, fields } = await sign({ max: 5 });

        const reply = await postForm(url, fields, Buffer.from('more than five bytes'));

        expect(reply.status).to.equal(400);
        expect(reply.body).to.contain('<Code>EntityTooLarge</Code>');
      });

      it('answers AccessDenied naming the condition when the key leaves the allowed prefix', async () => {
        const { url, fields } = await sign();

        const reply = await postForm(url, { ...fields, key: 'uploads/u2/clip.mp4' }, Buffer.from('x'));

        expect(reply.status).to.equal(403);
        expect(reply.body).to.contain('<Code>AccessDenied</Code>');
        expect(reply.body).to.contain('Policy Condition failed');
      });

      it('answers AccessDenied when the content type is not a video', async () => {
        const { url, fields } = await sign();

        const reply = await postForm(url, { ...fields, 'Content-Type': 'text/plain' }, Buffer.from('x'));

        expect(reply.status).to.equal(403);
        expect(reply.body).to.contain('$Content-Type');
      });

      it('answers AccessDenied "Policy expired" when the policy has expired', async () => {
        const { url, fields } = await sign({ expires: -10 });

        const reply = await postForm(url, fields, Buffer.from('x'));

        expect(reply.status).to.equal(403);
        expect(reply.body).to.contain('Invalid according to Policy: Policy expired.');
      });

      it('answers SignatureDoesNotMatch when the policy was altered', async () => {
        const { url, fields } = await sign();
        const policy = JSON.parse(Buffer.from(String(fields.Policy), 'base64').toString('utf8'));
        policy.conditions.push(['content-length-range', 0, 10 ** 12]);

        const reply = await postForm(
          url,
          { ...fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') },
          Buffer.from('x'),
        );

        expect(reply.status).to.equal(403);
        expect(reply.body).to.contain('<Code>SignatureDoesNotMatch</Code>');
      });

      it('answers AccessDenied for a form field the policy does not cover', async () => {
        const { url, fields } = await sign();

        const reply = await postForm(url, { ...fields, 'x-amz-meta-owner': 'me' }, Buffer.from('x'));

        expect(reply.status).to.equal(403);
        expect(reply.body).to.contain('Extra input fields: x-amz-meta-owner');
      });
    });
  });
});
