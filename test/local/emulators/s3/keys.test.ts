import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { expect } from 'chai';
import fc from 'fast-check';
import { type LocalS3, type S3Notification, startS3 } from '#local/emulators/s3';
import {
  keyFromStorage,
  parseRequestTarget,
  restoreKeysInXml,
  storageKey,
} from '#local/emulators/s3/keys.ts';
import { decodeS3Key } from '#shared/events';

const PLAIN = 'plain-bucket';
const VERSIONED = 'versioned-bucket';

async function text(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

/** A request with the path sent exactly as given (fetch and the SDK would normalise or encode it). */
function rawRequest(
  endpoint: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body === undefined ? {} : { 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('S3 gateway keys', () => {
  describe('storage names', () => {
    it('keeps keys s3rver can hold as paths, and encodes the others reversibly', () => {
      expect(storageKey('uploads/u1/v1/clip.mp4')).to.equal('uploads/u1/v1/clip.mp4');
      for (const key of [
        'a'.repeat(241),
        'a/../b.mp4',
        '../x',
        'a//b',
        'dir/',
        './c',
        '~keys/x',
        'é'.repeat(512),
      ]) {
        const name = storageKey(key);
        expect(name, key).to.match(/^~keys(\/[A-Za-z0-9_-]{1,200})+$/);
        expect(keyFromStorage(name)).to.equal(key);
      }
    });

    it('maps every key to a distinct name that decodes back to it (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 400 }), (key) => {
          const name = storageKey(key);
          expect(keyFromStorage(name)).to.equal(key);
          for (const segment of name.split('/')) {
            expect(['', '.', '..']).to.not.include(segment);
            expect(Buffer.byteLength(segment)).to.be.at.most(200);
          }
        }),
      );
    });

    it('reads the key of a request path byte for byte, dot segments and empty segments included', () => {
      expect(parseRequestTarget('/b/../../escape-1.mp4?x-id=PutObject')).to.deep.equal({
        bucket: 'b',
        key: '../../escape-1.mp4',
        query: 'x-id=PutObject',
      });
      expect(parseRequestTarget('/b/a//c%2B%20d')).to.deep.equal({ bucket: 'b', key: 'a//c+ d', query: '' });
      expect(parseRequestTarget('/b')).to.deep.equal({ bucket: 'b', query: '' });
      expect(parseRequestTarget('/?list')).to.deep.equal({ query: 'list' });
    });

    it('puts real keys back into s3rver XML, escaped, and URL-encoded in a Location', () => {
      const key = `a&b/${'x'.repeat(300)}`;
      const name = storageKey(key);
      const xml = `<R><Location>http://h/b/${name}</Location><Key>${name}</Key></R>`;

      expect(restoreKeysInXml(xml)).to.equal(
        `<R><Location>http://h/b/a%26b/${'x'.repeat(300)}</Location><Key>a&amp;b/${'x'.repeat(300)}</Key></R>`,
      );
    });
  });

  describe('integration: keys through the gateway', () => {
    let dir: string;
    let s3: LocalS3;
    let received: S3Notification[];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 's3-keys-'));
      s3 = await startS3({ dataDir: dir, region: 'us-east-1' });
      for (const bucket of [PLAIN, VERSIONED]) {
        await s3.createBucket(bucket);
        s3.setNotifications(bucket, [
          {
            id: 'all',
            events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
            target: { kind: 'lambda', arn: 'arn:fn' },
          },
        ]);
      }
      s3.setVersioning(VERSIONED, true);
      s3.notifications.on('notification', (n: S3Notification) => received.push(n));
    });

    beforeEach(() => {
      received = [];
    });

    after(async () => {
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const announcedKeys = async () => {
      await s3.whenAnnounced();
      return received.map((n) =>
        decodeS3Key(String((n.event.Records[0] as { s3: { object: { key: string } } }).s3.object.key)),
      );
    };
    const listAll = async (bucket: string, prefix?: string) =>
      (await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents?.map(
        (o) => o.Key,
      ) ?? [];

    for (const bucket of [PLAIN, VERSIONED]) {
      describe(bucket, () => {
        const long = {
          '241 bytes': `long/${'a'.repeat(236)}`,
          '500 bytes, one segment': `${'b'.repeat(496)}.mp4`,
          '1,024 bytes of 2-byte characters': 'é'.repeat(512),
          '1,024 bytes in 5 segments': Array.from({ length: 5 }, (_, i) => `${i}`.repeat(204)).join('/'),
        };
        for (const [name, key] of Object.entries(long)) {
          it(`stores, tags, lists, announces and deletes a key of ${name} byte for byte`, async () => {
            expect(Buffer.byteLength(key)).to.be.at.most(1024);
            await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'long key' }));
            await s3.client.send(
              new PutObjectTaggingCommand({
                Bucket: bucket,
                Key: key,
                Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] },
              }),
            );

            const got = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
            const tags = await s3.client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
            expect(await text(got.Body)).to.equal('long key');
            expect(head.ContentLength).to.equal(8);
            expect(tags.TagSet).to.deep.equal([{ Key: 'visibility', Value: 'public' }]);
            expect(await listAll(bucket, key.slice(0, 3))).to.include(key);
            await s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

            expect(await listAll(bucket, key.slice(0, 3))).to.not.include(key);
            expect(await announcedKeys()).to.deep.equal([key, key]);
          });
        }

        it('refuses a key of 1,025 bytes with KeyTooLongError and stores nothing', async () => {
          const key = `${'é'.repeat(512)}x`;

          const error = await s3.client
            .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }))
            .then(
              () => undefined,
              (e: { name: string; $metadata: { httpStatusCode?: number } }) => e,
            );

          expect(error?.name).to.equal('KeyTooLongError');
          expect(error?.$metadata.httpStatusCode).to.equal(400);
          expect(await listAll(bucket, 'é')).to.deep.equal([]);
        });

        it('keeps dot segments: ../../escape-1.mp4 and a/../b.mp4 are stored under exactly those keys', async () => {
          const put = await rawRequest(s3.endpoint, 'PUT', `/${bucket}/../../escape-1.mp4`, 'escaped?');
          await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/../b.mp4', Body: 'dots' }));
          await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a//c', Body: 'two slashes' }));
          await s3.client.send(
            new PutObjectCommand({ Bucket: bucket, Key: 'dir/', Body: new Uint8Array(0) }),
          );

          const got = await rawRequest(s3.endpoint, 'GET', `/${bucket}/../../escape-1.mp4`);
          const buckets = await s3.client.send(new ListBucketsCommand({}));
          const plainB = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'b.mp4' })).then(
            () => 'found',
            (e: Error) => e.name,
          );
          const plainC = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/c' })).then(
            () => 'found',
            (e: Error) => e.name,
          );
          const dots = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/../b.mp4' }));

          expect(put.status).to.equal(200);
          expect(got).to.deep.equal({ status: 200, body: 'escaped?' });
          expect(buckets.Buckets?.map((b) => b.Name)).to.have.members([PLAIN, VERSIONED]);
          expect(plainB).to.equal('NoSuchKey');
          expect(plainC).to.equal('NoSuchKey');
          expect(await text(dots.Body)).to.equal('dots');
          expect(await listAll(bucket)).to.include.members([
            '../../escape-1.mp4',
            'a/../b.mp4',
            'a//c',
            'dir/',
          ]);
          expect(await announcedKeys()).to.deep.equal(['../../escape-1.mp4', 'a/../b.mp4', 'a//c', 'dir/']);
          // Nothing was written outside the data directory.
          expect((await readdir(join(dir, '..'))).filter((name) => name === 'escape-1.mp4')).to.deep.equal(
            [],
          );
        });

        it('runs a multipart upload and a copy for long keys, answering with the real keys', async () => {
          const key = `multi/${'m'.repeat(300)}.mp4`;
          const copy = `copy/${'c'.repeat(300)}.mp4`;

          const created = await s3.client.send(
            new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
          );
          const part = await s3.client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: created.UploadId,
              PartNumber: 1,
              Body: 'one part',
            }),
          );
          const completed = await s3.client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: key,
              UploadId: created.UploadId,
              MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
            }),
          );
          await s3.client.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: copy,
              CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
            }),
          );
          const copied = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: copy }));

          expect(created.Key).to.equal(key);
          expect(completed.Key).to.equal(key);
          expect(decodeURIComponent(completed.Location ?? '')).to.match(new RegExp(`/${key}$`));
          expect(await text(copied.Body)).to.equal('one part');
          expect(await announcedKeys()).to.deep.equal([key, copy]);
        });

        it('deletes long keys in one DeleteObjects request', async () => {
          const keys = [`del/${'d'.repeat(300)}`, 'del/short'];
          for (const key of keys)
            await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));

          const result = await s3.client.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
          );

          expect(result.Deleted?.map((d) => d.Key).sort()).to.deep.equal([...keys].sort());
          expect(result.Errors ?? []).to.deep.equal([]);
          expect(await listAll(bucket, 'del/')).to.deep.equal([]);
        });
      });
    }

    it('lists long and short keys together in UTF-8 order, with common prefixes and pages', async () => {
      const keys = [
        'list/a.mp4',
        `list/${'z'.repeat(300)}`,
        'list/dir/one',
        `list/dir/${'t'.repeat(250)}`,
        'list/é.mp4',
        'list/../up',
      ];
      for (const key of keys)
        await s3.client.send(new PutObjectCommand({ Bucket: PLAIN, Key: key, Body: 'k' }));

      const flat = await s3.client.send(new ListObjectsV2Command({ Bucket: PLAIN, Prefix: 'list/' }));
      const rolled = await s3.client.send(
        new ListObjectsV2Command({ Bucket: PLAIN, Prefix: 'list/', Delimiter: '/', MaxKeys: 2 }),
      );
      const rest = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: PLAIN,
          Prefix: 'list/',
          Delimiter: '/',
          ContinuationToken: rolled.NextContinuationToken,
        }),
      );
      const v1 = await s3.client.send(
        new ListObjectsCommand({ Bucket: PLAIN, Prefix: 'list/', Marker: 'list/dir/one' }),
      );

      expect(flat.Contents?.map((o) => o.Key)).to.deep.equal([
        'list/../up',
        'list/a.mp4',
        'list/dir/one',
        `list/dir/${'t'.repeat(250)}`,
        `list/${'z'.repeat(300)}`,
        'list/é.mp4',
      ]);
      expect(flat.KeyCount).to.equal(6);
      expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).to.deep.equal(['list/../']);
      expect(rolled.Contents?.map((o) => o.Key)).to.deep.equal(['list/a.mp4']);
      expect(rolled.IsTruncated).to.equal(true);
      expect(rest.CommonPrefixes?.map((p) => p.Prefix)).to.deep.equal(['list/dir/']);
      expect(rest.Contents?.map((o) => o.Key)).to.deep.equal([`list/${'z'.repeat(300)}`, 'list/é.mp4']);
      expect(rest.IsTruncated).to.equal(false);
      expect(v1.Contents?.map((o) => o.Key)).to.deep.equal([
        `list/dir/${'t'.repeat(250)}`,
        `list/${'z'.repeat(300)}`,
        'list/é.mp4',
      ]);
    });

    it('lists the versions of a long key', async () => {
      const key = `ver/${'v'.repeat(600)}`;
      await s3.client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: key, Body: 'one' }));
      await s3.client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: key, Body: 'two' }));

      const listed = await s3.client.send(
        new ListObjectVersionsCommand({ Bucket: VERSIONED, Prefix: 'ver/' }),
      );
      const old = listed.Versions?.find((v) => !v.IsLatest);
      const first = await s3.client.send(
        new GetObjectCommand({ Bucket: VERSIONED, Key: key, VersionId: old?.VersionId }),
      );

      expect(listed.Versions?.map((v) => v.Key)).to.deep.equal([key, key]);
      expect(await text(first.Body)).to.equal('one');
    });

    it('takes a browser POST to a long key, and refuses one over 1,024 bytes with KeyTooLongError', async () => {
      const post = async (key: string) => {
        const { url, fields } = await createPresignedPost(s3.client, {
          Bucket: PLAIN,
          Key: key,
          Expires: 60,
        });
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        form.append('file', new Blob(['posted']), 'f');
        const response = await fetch(url, { method: 'POST', body: form });
        return { status: response.status, body: await response.text() };
      };
      const key = `post/${'p'.repeat(700)}`;

      const ok = await post(key);
      const tooLong = await post(`post/${'p'.repeat(1020)}`);
      const got = await s3.client.send(new GetObjectCommand({ Bucket: PLAIN, Key: key }));

      expect(ok.status).to.equal(204);
      expect(await text(got.Body)).to.equal('posted');
      expect(tooLong.status).to.equal(400);
      expect(tooLong.body).to.contain('<Code>KeyTooLongError</Code>');
    });

    it('answers malformed paths and bucket names with 400, not 500, and keeps serving', async () => {
      const badEncoding = await rawRequest(s3.endpoint, 'GET', `/${PLAIN}/%E0%A4%A`);
      const dotBucket = await rawRequest(s3.endpoint, 'GET', '/../objects');
      const dotBucketPut = await rawRequest(s3.endpoint, 'PUT', '/..');

      expect(badEncoding.status).to.equal(400);
      expect(badEncoding.body).to.contain('<Code>InvalidURI</Code>');
      expect(dotBucket.status).to.equal(400);
      expect(dotBucket.body).to.contain('<Code>InvalidBucketName</Code>');
      expect(dotBucketPut.status).to.equal(400);
      expect(await listAll(PLAIN)).to.be.an('array');
    });

    it('keeps serving after a client hangs up in the middle of an upload', async () => {
      const url = new URL(s3.endpoint);
      await new Promise<void>((resolve) => {
        const req = request({
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `/${PLAIN}/halfway/${'h'.repeat(300)}`,
          headers: { 'content-length': 1_000_000 },
        });
        req.on('error', () => resolve());
        req.write(Buffer.alloc(100_000, 1), () => {
          req.destroy();
          resolve();
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 200));

      await s3.client.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'after-hangup', Body: 'still here' }));
      const got = await s3.client.send(new GetObjectCommand({ Bucket: PLAIN, Key: 'after-hangup' }));

      expect(await text(got.Body)).to.equal('still here');
    });
  });
});
