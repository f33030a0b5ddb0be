import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { expect } from 'chai';
import { type LocalS3, type S3Notification, startS3 } from '#local/emulators/s3';
import { ARCHIVE_BUCKET } from '#local/emulators/s3/archive.ts';

const BUCKET = 'versioned-bucket';

async function text(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

describe('integration', () => {
  describe('S3 emulator versioning (ListObjectVersions, versionId, delete markers, DeleteObjects)', () => {
    let dir: string;
    let s3: LocalS3;
    let received: S3Notification[];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 's3-versions-'));
      s3 = await startS3({ dataDir: dir, region: 'us-east-1' });
      await s3.createBucket(BUCKET);
      await s3.createBucket('plain-bucket');
      s3.setVersioning(BUCKET, true);
      s3.setNotifications(BUCKET, [
        {
          id: 'all',
          events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
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

    const put = (key: string, body: string) =>
      s3.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'text/plain' }),
      );
    const get = (key: string, versionId?: string) =>
      s3.client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: key, ...(versionId && { VersionId: versionId }) }),
      );
    const versions = async (prefix: string) => {
      const page = await s3.client.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: prefix }));
      return [
        ...(page.Versions ?? []).map((v) => ({
          key: v.Key,
          id: v.VersionId,
          latest: v.IsLatest,
          marker: false,
        })),
        ...(page.DeleteMarkers ?? []).map((v) => ({
          key: v.Key,
          id: v.VersionId,
          latest: v.IsLatest,
          marker: true,
        })),
      ];
    };
    const events = () =>
      received.map((n) => {
        const record = n.event.Records[0] as { eventName: string; s3: { object: { versionId?: string } } };
        return [record.eventName, record.s3.object.versionId];
      });

    it('keeps every version of an overwritten key, each readable by its id, the latest by default', async () => {
      const first = await put('keep/a.txt', 'one');
      const second = await put('keep/a.txt', 'two');
      await s3.whenAnnounced();

      expect(first.VersionId).to.be.a('string').with.length(32);
      expect(second.VersionId).to.not.equal(first.VersionId);
      expect(await text((await get('keep/a.txt')).Body)).to.equal('two');
      expect(await text((await get('keep/a.txt', first.VersionId)).Body)).to.equal('one');
      expect((await get('keep/a.txt', first.VersionId)).VersionId).to.equal(first.VersionId);
      expect(await versions('keep/')).to.deep.equal([
        { key: 'keep/a.txt', id: second.VersionId, latest: true, marker: false },
        { key: 'keep/a.txt', id: first.VersionId, latest: false, marker: false },
      ]);
      expect(events()).to.deep.equal([
        ['ObjectCreated:Put', first.VersionId],
        ['ObjectCreated:Put', second.VersionId],
      ]);
    });

    it('adds a delete marker on a delete without a version: the key is gone, its versions are not', async () => {
      const written = await put('marker/a.txt', 'one');

      const deleted = await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'marker/a.txt' }));
      await s3.whenAnnounced();

      expect(deleted.DeleteMarker).to.equal(true);
      const missing = await get('marker/a.txt').catch(
        (e: { name: string; $metadata: { httpStatusCode: number } }) => e,
      );
      expect(missing).to.deep.include({ name: 'NoSuchKey' });
      expect(await text((await get('marker/a.txt', written.VersionId)).Body)).to.equal('one');
      expect(await versions('marker/')).to.deep.equal([
        { key: 'marker/a.txt', id: written.VersionId, latest: false, marker: false },
        { key: 'marker/a.txt', id: deleted.VersionId, latest: true, marker: true },
      ]);
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'marker/' }));
      expect(listed.Contents ?? []).to.deep.equal([]);
      expect(events()).to.deep.include(['ObjectRemoved:DeleteMarkerCreated', deleted.VersionId]);
    });

    it('removes exactly one version for good with a versionId, and the next newest becomes current again', async () => {
      const one = await put('exact/a.txt', 'one');
      const two = await put('exact/a.txt', 'two');

      const removed = await s3.client.send(
        new DeleteObjectCommand({ Bucket: BUCKET, Key: 'exact/a.txt', VersionId: two.VersionId }),
      );

      expect(removed.VersionId).to.equal(two.VersionId);
      expect(await text((await get('exact/a.txt')).Body)).to.equal('one');
      expect(
        (await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'exact/a.txt' }))).VersionId,
      ).to.equal(one.VersionId);
      expect((await versions('exact/')).map((v) => v.id)).to.deep.equal([one.VersionId]);
      const gone = await get('exact/a.txt', two.VersionId).catch((e: { name: string }) => e);
      expect(gone).to.have.property('name', 'NoSuchVersion');
    });

    it('keeps each version its own tags', async () => {
      await put('tags/a.txt', 'one');
      await s3.client.send(
        new PutObjectTaggingCommand({
          Bucket: BUCKET,
          Key: 'tags/a.txt',
          Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] },
        }),
      );
      const first = (await versions('tags/'))[0]?.id;
      await put('tags/a.txt', 'two');

      const current = await s3.client.send(
        new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tags/a.txt' }),
      );
      const old = await s3.client.send(
        new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tags/a.txt', VersionId: first }),
      );

      expect(current.TagSet).to.deep.equal([]);
      expect(old.TagSet).to.deep.equal([{ Key: 'visibility', Value: 'public' }]);
    });

    it('deletes versions and delete markers in a batch with DeleteObjects, removing every trace of a prefix', async () => {
      const a1 = await put('batch/a.txt', 'a1');
      const a2 = await put('batch/a.txt', 'a2');
      const b1 = await put('batch/b.txt', 'b1');
      const marker = await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'batch/b.txt' }));
      await put('batchx/keep.txt', 'neighbour');

      const result = await s3.client.send(
        new DeleteObjectsCommand({
          Bucket: BUCKET,
          Delete: {
            Objects: [
              { Key: 'batch/a.txt', VersionId: a1.VersionId },
              { Key: 'batch/a.txt', VersionId: a2.VersionId },
              { Key: 'batch/b.txt', VersionId: b1.VersionId },
              { Key: 'batch/b.txt', VersionId: marker.VersionId },
            ],
          },
        }),
      );

      expect(result.Errors ?? []).to.deep.equal([]);
      expect(result.Deleted?.map((d) => [d.Key, d.VersionId, d.DeleteMarker ?? false])).to.deep.equal([
        ['batch/a.txt', a1.VersionId, false],
        ['batch/a.txt', a2.VersionId, false],
        ['batch/b.txt', b1.VersionId, false],
        ['batch/b.txt', marker.VersionId, true],
      ]);
      expect(await versions('batch/')).to.deep.equal([]);
      expect(await text((await get('batchx/keep.txt')).Body)).to.equal('neighbour');
    });

    it('pages ListObjectVersions with key and version-id markers, in UTF-8 key order', async () => {
      // UTF-16 would put the emoji (a surrogate pair, D83D…) before U+FF21; UTF-8 (F0… after EF…) does not.
      const keys = ['page/b.txt', 'page/😀.txt', 'page/a.txt', 'page/Ａ.txt'];
      for (const key of keys) {
        await put(key, '1');
        await put(key, '2');
      }

      const seen: string[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await s3.client.send(
          new ListObjectVersionsCommand({
            Bucket: BUCKET,
            Prefix: 'page/',
            MaxKeys: 3,
            ...(keyMarker && { KeyMarker: keyMarker }),
            ...(versionIdMarker && { VersionIdMarker: versionIdMarker }),
          }),
        );
        pages += 1;
        seen.push(...(page.Versions ?? []).map((v) => `${v.Key}:${v.IsLatest}`));
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
      }

      expect(pages).to.equal(3);
      expect(seen).to.deep.equal([
        'page/a.txt:true',
        'page/a.txt:false',
        'page/b.txt:true',
        'page/b.txt:false',
        'page/Ａ.txt:true',
        'page/Ａ.txt:false',
        'page/😀.txt:true',
        'page/😀.txt:false',
      ]);
    });

    it('gives every one of many concurrent writes to one key its own version, in its response and its event', async () => {
      const writes = await Promise.all(Array.from({ length: 6 }, (_, i) => put('race/a.txt', `body-${i}`)));
      await s3.whenAnnounced();

      const ids = writes.map((w) => w.VersionId);
      expect(new Set(ids).size).to.equal(6);
      expect((await versions('race/')).map((v) => v.id).sort()).to.deep.equal([...ids].sort());
      expect(
        events()
          .map(([, id]) => id)
          .sort(),
      ).to.deep.equal([...ids].sort());
      // Each response's version holds that request's own body.
      for (const [i, write] of writes.entries()) {
        expect(await text((await get('race/a.txt', write.VersionId)).Body)).to.equal(`body-${i}`);
      }
    });

    it('versions browser POST uploads too', async () => {
      const post = await createPresignedPost(s3.client, { Bucket: BUCKET, Key: 'posted/a.mp4', Expires: 60 });
      const upload = async () => {
        const form = new FormData();
        for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
        form.append('file', new Blob(['data'], { type: 'video/mp4' }), 'a.mp4');
        return fetch(post.url, { method: 'POST', body: form });
      };

      const first = await upload();
      const second = await upload();

      expect([first.status, second.status]).to.deep.equal([204, 204]);
      const ids = [first.headers.get('x-amz-version-id'), second.headers.get('x-amz-version-id')];
      expect((await versions('posted/')).map((v) => v.id)).to.deep.equal([ids[1], ids[0]]);
    });

    it('hides its archive of noncurrent versions from every client', async () => {
      const buckets = await s3.client.send(new ListBucketsCommand({}));
      const direct = await s3.client
        .send(new ListObjectsV2Command({ Bucket: ARCHIVE_BUCKET }))
        .catch((e: { name: string }) => e);

      expect(buckets.Buckets?.map((b) => b.Name))
        .to.include(BUCKET)
        .and.not.include(ARCHIVE_BUCKET);
      expect(direct).to.have.property('name', 'NoSuchBucket');
    });

    it('leaves a bucket without versioning as s3rver has it (no version ids)', async () => {
      const written = await s3.client.send(
        new PutObjectCommand({ Bucket: 'plain-bucket', Key: 'a.txt', Body: 'x' }),
      );

      expect(written.VersionId).to.equal(undefined);
    });
  });
});
