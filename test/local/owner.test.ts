import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { GetObjectTaggingCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { TOMBSTONE_TTL_SECONDS } from '#shared/deletion';
import type { Video } from '#shared/store';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';
import { PUBLIC_TAG, uploadPrefix } from '#shared/video';
import {
  createLocalIdentityProvider,
  type LocalCloudApi,
  type LocalIdentityProvider,
  startLocalCloudApi,
} from '../../local/api/index.ts';
import { type LocalCloud, type ProgressEvent, startLocalCloud } from '../../local/cloud.ts';
import { LOCAL_CREDENTIALS } from '../../local/emulators/s3.ts';
import { generateClip } from '../../local/media/ffmpeg.ts';
import { prepareLocalStack } from '../../local/prepare.ts';
import { localRepository } from '../../local/watch.ts';
import { SMALL_CLIP_LADDER } from '../support/ladders.ts';

// Guards against a hung pipeline; never an assertion on speed.
const WITHIN_MS = 120_000;
const USER_A = { sub: 'aaaaaaaa-0000-4000-8000-0000000000a1', username: 'alice' };
const USER_B = { sub: 'bbbbbbbb-0000-4000-8000-0000000000b2', username: 'bob' };
/** Every video here has the same filename, so a delete that matched by name would take the others along. */
const FILENAME = 'same name.mp4';

interface Ticket {
  videoId: string;
  url: string;
  fields: Record<string, string>;
}

interface View {
  videoId: string;
  status: string;
  title?: string;
  description?: string;
  visibility: string;
  renditions: { rendition: string; url: string }[];
  posterUrl?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WITHIN_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await sleep(50);
  }
}

for (const backend of TRANSCODER_BACKENDS as readonly TranscoderBackend[]) {
  describe(`e2e: owning a video on the local cloud (${backend})`, () => {
    let cloud: LocalCloud;
    let api: LocalCloudApi;
    let idp: LocalIdentityProvider;
    let tokenA: string;
    let tokenB: string;
    let shortClip: Buffer;
    let longClip: Buffer;
    let twin: { videoId: string; versions: string[]; item: Video | undefined };
    const jobEvents: Extract<ProgressEvent, { kind: 'job' }>[] = [];
    const durations: string[] = [];

    before(async function () {
      this.timeout(600_000);
      cloud = await startLocalCloud({ stackFile: await prepareLocalStack(backend), retryDelayMs: 50 });
      cloud.events.on('progress', (event: ProgressEvent) => {
        if (event.kind === 'job') jobEvents.push(event);
      });
      idp = await createLocalIdentityProvider();
      api = await startLocalCloudApi(cloud, { identity: idp });
      tokenA = await idp.issueToken(USER_A);
      tokenB = await idp.issueToken(USER_B);
      const short = join(cloud.dataDir, 'short.mp4');
      await generateClip(short, { seconds: 1, width: 320, height: 240, audio: true });
      shortClip = await readFile(short);
      // Long enough that a job is still running when the delete arrives.
      const long = join(cloud.dataDir, 'long.mp4');
      await generateClip(long, { seconds: 8, width: 480, height: 270, audio: true });
      longClip = await readFile(long);

      // A's other video with the same filename, which no delete below may touch.
      const videoId = await uploadVideo(tokenA, shortClip);
      await untilStatus(videoId, 'READY');
      await cloud.whenIdle();
      twin = {
        videoId,
        versions: await versionsOf(USER_A.sub, videoId),
        item: await repository().get(videoId),
      };
    });

    after(async function () {
      this.timeout(60_000);
      if (durations.length > 0)
        console.log(`      delete request → purged (${backend}): ${durations.join(', ')}`);
      await api?.close();
      await cloud?.stop();
    });

    const repository = () => localRepository(cloud);
    const request = (path: string, token: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (init.body) headers.set('content-type', 'application/json');
      return fetch(`${api.url}${path}`, { ...init, headers });
    };
    const call = async <T>(path: string, token: string, init: RequestInit = {}) => {
      const response = await request(path, token, init);
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    const patch = (videoId: string, token: string, body: unknown) =>
      call<View & { code?: string; message?: string }>(`/videos/${videoId}`, token, {
        method: 'PATCH',
        body: JSON.stringify(body),
      });
    const remove = (videoId: string, token: string) =>
      call<{ videoId: string; status: string }>(`/videos/${videoId}`, token, { method: 'DELETE' });
    const listIds = async (token: string, query = '') =>
      (await call<{ items: View[] }>(`/videos${query}`, token)).body.items.map((item) => item.videoId);

    async function uploadVideo(token: string, file: Buffer, visibility?: string): Promise<string> {
      const issued = await call<Ticket>('/uploads', token, {
        method: 'POST',
        body: JSON.stringify({
          filename: FILENAME,
          contentType: 'video/mp4',
          size: file.length,
          ...(visibility && { visibility }),
        }),
      });
      expect(issued.status).to.equal(201);
      const form = new FormData();
      for (const [name, value] of Object.entries(issued.body.fields)) form.append(name, value);
      form.append('file', new Blob([new Uint8Array(file)], { type: 'video/mp4' }), FILENAME);
      const posted = await fetch(issued.body.url, { method: 'POST', body: form });
      expect(posted.status).to.equal(204);
      return issued.body.videoId;
    }

    const untilStatus = (videoId: string, status: string) =>
      until(`${videoId} to be ${status}`, async () => {
        const video = await repository().get(videoId);
        return video?.status === status ? video : undefined;
      });

    /** Every version and delete marker of a video's upload and outputs, as `bucket:key@version`. */
    async function versionsOf(owner: string, videoId: string): Promise<string[]> {
      const found: string[] = [];
      for (const [bucket, prefix] of [
        [cloud.names.uploadBucket, uploadPrefix(owner, videoId)],
        [cloud.names.transcodedBucket, `videos/${videoId}/`],
      ] as const) {
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        for (;;) {
          const page = await cloud.clients.s3.send(
            new ListObjectVersionsCommand({
              Bucket: bucket,
              Prefix: prefix,
              ...(keyMarker && { KeyMarker: keyMarker }),
              ...(versionIdMarker && { VersionIdMarker: versionIdMarker }),
            }),
          );
          for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
            found.push(`${bucket}:${v.Key}@${v.VersionId}`);
          }
          if (!page.IsTruncated) break;
          keyMarker = page.NextKeyMarker;
          versionIdMarker = page.NextVersionIdMarker;
        }
      }
      return found.sort();
    }

    /** What CloudFront's bucket-policy condition decides: it reads an object only when it is tagged visibility=public. */
    async function servableByCloudFront(key: string): Promise<boolean> {
      const { TagSet = [] } = await cloud.clients.s3.send(
        new GetObjectTaggingCommand({ Bucket: cloud.names.transcodedBucket, Key: key }),
      );
      return TagSet.some((tag) => tag.Key === PUBLIC_TAG.key && tag.Value === PUBLIC_TAG.value);
    }

    /** Sends the DELETE, waits until the purge is recorded, and checks that nothing of the video is left. */
    async function deleteAndCheckGone(videoId: string, label: string): Promise<void> {
      const started = Date.now();
      const answer = await remove(videoId, tokenA);
      expect(answer).to.deep.equal({ status: 202, body: { videoId, status: 'DELETED' } });
      const purged = await until(`${videoId} to be purged`, async () => {
        const video = await repository().get(videoId);
        return video?.purgedAt ? video : undefined;
      });
      durations.push(`${label} ${((Date.parse(purged.purgedAt ?? '') - started) / 1000).toFixed(2)} s`);
      await cloud.whenIdle();

      expect(
        await versionsOf(USER_A.sub, videoId),
        'every version of the upload and the outputs',
      ).to.deep.equal([]);
      const tombstone = await repository().get(videoId);
      expect(tombstone, 'no later event changed the tombstone').to.deep.equal(purged);
      expect(tombstone).to.deep.include({ status: 'DELETED', ownerId: USER_A.sub });
      expect(tombstone).not.to.have.any.keys('title', 'description', 'metadata', 'poster');
      expect(tombstone?.expiresAt).to.be.closeTo(
        Date.parse(tombstone?.deletedAt ?? '') / 1000 + TOMBSTONE_TTL_SECONDS,
        1,
      );
      expect((await request(`/videos/${videoId}`, tokenA)).status).to.equal(404);
      expect(await listIds(tokenA, '?mine=true')).not.to.include(videoId);
      expect(await listIds(tokenB)).not.to.include(videoId);
      expect((await remove(videoId, tokenA)).status, 'deleting it again').to.equal(204);
      expect((await patch(videoId, tokenA, { title: 'back?' })).status).to.equal(404);
    }

    it('(a) deletes a video right after its upload: every version gone, a tombstone left', async function () {
      this.timeout(WITHIN_MS);
      const videoId = await uploadVideo(tokenA, shortClip);

      await deleteAndCheckGone(videoId, 'after upload');
    });

    it('(b) deletes a video while it is transcoding, stopping the job where the backend can', async function () {
      this.timeout(WITHIN_MS);
      const videoId = await uploadVideo(tokenA, longClip);
      const job = await until('the job to run', async () =>
        jobEvents.find((e) => e.videoId === videoId && /^progressing$/i.test(e.status)),
      );
      const ended = () =>
        jobEvents.some((e) => e.jobId === job.jobId && /^(complete|error|canceled)$/i.test(e.status));

      expect(ended(), 'the job is still running when the delete is sent').to.equal(false);
      await deleteAndCheckGone(videoId, 'during transcoding');

      if (backend === 'mediaconvert') {
        const client = new MediaConvertClient({
          endpoint: cloud.endpoints.mediaconvert ?? '',
          region: cloud.region,
          credentials: LOCAL_CREDENTIALS,
        });
        expect((await client.send(new GetJobCommand({ Id: job.jobId }))).Job?.Status).to.equal('CANCELED');
        client.destroy();
      } else {
        // Elastic Transcoder cancels only Submitted jobs: this one ran to its end, then was swept.
        expect(ended()).to.equal(true);
      }
    });

    it('(c) edits, hides and shows a READY video, then deletes it', async function () {
      this.timeout(WITHIN_MS);
      const videoId = await uploadVideo(tokenA, shortClip);
      await untilStatus(videoId, 'READY');
      const ladder = SMALL_CLIP_LADDER[backend];
      const keys = ladder.map((r) => `videos/${videoId}/${r}.mp4`);
      if (backend === 'mediaconvert') keys.push(`videos/${videoId}/poster.0000000.jpg`);

      // Title and description, in any script, shown in the library.
      const edited = await patch(videoId, tokenA, {
        title: '  Été à Kyōto 🌸 ',
        description: 'Line one\nLine two',
      });
      expect(edited.status).to.equal(200);
      expect(edited.body).to.deep.include({ title: 'Été à Kyōto 🌸', description: 'Line one\nLine two' });
      const listed = (await call<{ items: View[] }>('/videos', tokenB)).body.items.find(
        (v) => v.videoId === videoId,
      );
      expect(listed?.title).to.equal('Été à Kyōto 🌸');
      expect((await patch(videoId, tokenA, { title: 'x'.repeat(121) })).body).to.include({
        code: 'INVALID_REQUEST',
      });
      expect((await patch(videoId, tokenB, { title: 'mine now' })).status).to.equal(404);
      expect((await remove(videoId, tokenB)).status).to.equal(404);

      // Private: CloudFront would serve none of it, others cannot see it, the owner still plays it.
      const hidden = await patch(videoId, tokenA, { visibility: 'private' });
      expect(hidden.status).to.equal(200);
      expect(hidden.body.visibility).to.equal('private');
      for (const key of keys) expect(await servableByCloudFront(key), key).to.equal(false);
      expect((await request(`/videos/${videoId}`, tokenB)).status).to.equal(404);
      expect(await listIds(tokenB)).not.to.include(videoId);
      expect(await listIds(tokenA)).not.to.include(videoId);
      expect(await listIds(tokenA, '?mine=true')).to.include(videoId);
      const own = (await call<View>(`/videos/${videoId}`, tokenA)).body;
      expect(own.renditions.map((r) => r.rendition)).to.deep.equal(ladder);
      for (const url of [...own.renditions.map((r) => r.url), ...(own.posterUrl ? [own.posterUrl] : [])]) {
        expect(url).to.contain('X-Amz-Signature=');
        const played = await fetch(url);
        expect(played.status, url).to.equal(200);
        expect((await played.arrayBuffer()).byteLength).to.be.greaterThan(0);
      }
      const first = await fetch(own.renditions[0]?.url ?? '');
      expect(
        Buffer.from(await first.arrayBuffer())
          .subarray(4, 8)
          .toString('latin1'),
      ).to.equal('ftyp');

      // Public again: every output servable, and back in everyone's catalogue.
      expect((await patch(videoId, tokenA, { visibility: 'public' })).status).to.equal(200);
      for (const key of keys) expect(await servableByCloudFront(key), key).to.equal(true);
      expect(
        (await call<View>(`/videos/${videoId}`, tokenB)).body.renditions.map((r) => r.rendition),
      ).to.deep.equal(ladder);

      await deleteAndCheckGone(videoId, 'after READY');
    });

    it('starts a private upload private: READY, untagged, visible to its owner alone', async function () {
      this.timeout(WITHIN_MS);
      const videoId = await uploadVideo(tokenA, shortClip, 'private');

      const video = await untilStatus(videoId, 'READY');

      expect(video.visibility).to.equal('private');
      for (const output of video.outputs)
        expect(await servableByCloudFront(output.key), output.key).to.equal(false);
      expect((await request(`/videos/${videoId}`, tokenB)).status).to.equal(404);
      expect(
        (await call<View>(`/videos/${videoId}`, tokenA)).body.renditions.map((r) => r.rendition),
      ).to.deep.equal(SMALL_CLIP_LADDER[backend]);
    });

    it('never touched the other video with the same filename', async () => {
      await cloud.whenIdle();

      expect(await versionsOf(USER_A.sub, twin.videoId)).to.deep.equal(twin.versions).and.not.be.empty;
      expect(await repository().get(twin.videoId)).to.deep.equal(twin.item);
    });
  });
}
