import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import sinon from 'sinon';
import { type LocalCloud, type ProgressEvent, startLocalCloud } from '#local/cloud';
import { type LocalCloudApi, startLocalCloudApi } from '#local/emulators/apigateway';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '#local/emulators/cognito';
import { generateClip } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import { ENV } from '#shared/config';
import { SMALL_CLIP_LADDER } from '#test/support/ladders.ts';
import { jobRecorder } from '#test/support/local-cloud.ts';

/** The upload limit of this test's copy of the local stack: small, so "1 byte over" is cheap to send. */
const LIMIT = 1024 * 1024;
const USER_A = { sub: 'aaaaaaaa-0000-4000-8000-00000000000a', username: 'alice' };
const USER_B = { sub: 'bbbbbbbb-0000-4000-8000-00000000000b', username: 'bob' };

interface Ticket {
  videoId: string;
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

interface VideoBody {
  videoId: string;
  status: string;
  size?: number;
  mine: boolean;
  renditions: Array<{ rendition: string; url?: string }>;
  posterUrl?: string;
}

/**
 * The synthesized local stack with MAX_UPLOAD_BYTES lowered to {@link LIMIT} for every function,
 * written next to the original (asset paths in it are relative to its directory).
 */
function stackWithLimit(stackFile: string, limit: number): string {
  const json = JSON.parse(readFileSync(stackFile, 'utf8'));
  for (const fn of Object.values(json.resource.aws_lambda_function) as Array<{
    environment?: { variables?: Record<string, string> };
  }>) {
    const variables = fn.environment?.variables;
    if (variables?.[ENV.MAX_UPLOAD_BYTES] !== undefined) variables[ENV.MAX_UPLOAD_BYTES] = String(limit);
  }
  const copy = join(dirname(stackFile), `cdk.api-e2e-${process.pid}.tf.json`);
  writeFileSync(copy, JSON.stringify(json));
  return copy;
}

describe('local cloud HTTP API (end to end)', () => {
  let cloud: LocalCloud;
  let api: LocalCloudApi;
  let idp: LocalIdentityProvider;
  let stackCopy: string;
  let clip: Buffer;
  let tokenA: string;
  let tokenB: string;
  const uploadEvents: string[] = [];

  before(async function () {
    this.timeout(600_000);
    const stackFile = await prepareLocalStack('mediaconvert');
    stackCopy = stackWithLimit(stackFile, LIMIT);
    cloud = await startLocalCloud({ stackFile: stackCopy, retryDelayMs: 50 });
    cloud.events.on('progress', (event: ProgressEvent) => {
      if (event.kind === 's3' && event.bucket === cloud.names.uploadBucket) uploadEvents.push(event.key);
    });
    idp = await createLocalIdentityProvider();
    api = await startLocalCloudApi(cloud, { identity: idp });
    const file = join(cloud.dataDir, 'api-e2e.mp4');
    await generateClip(file, { seconds: 2, width: 320, height: 240, audio: true });
    clip = await readFile(file);
    tokenA = await idp.issueToken(USER_A);
    tokenB = await idp.issueToken(USER_B);
  });

  after(async function () {
    this.timeout(60_000);
    await api?.stop();
    await cloud?.stop();
    if (stackCopy) rmSync(stackCopy, { force: true });
  });

  const request = (path: string, token: string | undefined, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${api.endpoint}${path}`, { ...init, headers });
  };
  const json = async <T>(
    path: string,
    token: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T }> => {
    const response = await request(path, token, init);
    return { status: response.status, body: (await response.json()) as T };
  };
  const createUpload = async (token: string, body: Record<string, unknown>) =>
    json<Ticket>('/uploads', token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** A browser-style multipart POST: the policy's fields first, the file last. */
  const postToS3 = async (ticket: Ticket, file: Buffer, fields = ticket.fields) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append(
      'file',
      new Blob([new Uint8Array(file)], { type: fields['Content-Type'] ?? 'video/mp4' }),
      'clip.mp4',
    );
    const response = await fetch(ticket.url, { method: 'POST', body: form });
    return {
      status: response.status,
      text: await response.text(),
      versionId: response.headers.get('x-amz-version-id') ?? undefined,
    };
  };
  const waitForStatus = async (videoId: string, token: string, wanted: string) => {
    let status = '';
    for (let polls = 0; status !== wanted && polls < 600; polls += 1) {
      status = (await json<VideoBody>(`/videos/${videoId}`, token)).body.status;
      if (status !== wanted) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return status;
  };
  const listIds = async (token: string, query = '') =>
    (await json<{ items: VideoBody[] }>(`/videos${query}`, token)).body.items.map((item) => item.videoId);

  describe('authorization', () => {
    it('answers 401 without a token', async () => {
      const response = await request('/videos', undefined);

      expect(response.status).to.equal(401);
      expect(await response.json()).to.deep.equal({ message: 'Unauthorized' });
    });

    it('answers 401 to an expired token', async () => {
      const expired = await idp.issueToken(USER_A, { expiresInSeconds: -60 });

      expect((await request('/videos', expired)).status).to.equal(401);
    });

    it('answers 401 to a token signed with another key', async () => {
      const forged = await (await createLocalIdentityProvider()).issueToken(USER_A);

      expect((await request('/videos', forged)).status).to.equal(401);
    });
  });

  describe('upload → READY → catalogue', () => {
    it('uploads through the presigned POST, transcodes, and lists the video with a playable URL', async function () {
      this.timeout(300_000);
      const issued = await createUpload(tokenA, {
        filename: 'my clip.mp4',
        contentType: 'video/mp4',
        size: clip.length,
      });
      expect(issued.status).to.equal(201);
      const ticket = issued.body;
      expect((await json<VideoBody>(`/videos/${ticket.videoId}`, tokenA)).body.status).to.equal('UPLOADED');
      expect((await request(`/videos/${ticket.videoId}`, tokenB)).status).to.equal(404);
      expect(await listIds(tokenB)).not.to.include(ticket.videoId);

      const posted = await postToS3(ticket, clip);
      expect(posted.status, posted.text).to.equal(204);

      let status = '';
      for (let polls = 0; status !== 'READY' && polls < 600; polls += 1) {
        const own = await json<VideoBody>(`/videos/${ticket.videoId}`, tokenA);
        expect(own.status).to.equal(200);
        status = own.body.status;
        expect(['UPLOADED', 'TRANSCODING', 'READY'], JSON.stringify(own.body)).to.include(status);
        if (status !== 'READY') {
          expect(own.body.renditions).to.deep.equal([]);
          // While it is in progress, B can neither read it nor find it anywhere. The pipeline may finish
          // between A's read and B's; statuses never move backwards, so B may see it only once A does.
          const seenByB = (await request(`/videos/${ticket.videoId}`, tokenB)).status !== 404;
          const listedForB = (await listIds(tokenB)).includes(ticket.videoId);
          if (seenByB || listedForB) {
            const now = await json<VideoBody>(`/videos/${ticket.videoId}`, tokenA);
            expect(now.body.status, 'B saw the video before it was READY').to.equal('READY');
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      expect(status).to.equal('READY');

      const catalogue = await json<{ items: VideoBody[] }>('/videos', tokenB);
      const listed = catalogue.body.items.find((item) => item.videoId === ticket.videoId);
      expect(listed?.mine).to.equal(false);
      expect(listed?.size, 'the size S3 stored, which the policy pinned to the declared one').to.equal(
        clip.length,
      );
      // Only the renditions that exist: a 320×240 source gets web-720p alone on MediaConvert.
      expect(listed?.renditions.map((r) => r.rendition)).to.deep.equal(SMALL_CLIP_LADDER.mediaconvert);
      expect(
        listed?.renditions.some((r) => 'url' in r),
        'lists carry no playback URLs',
      ).to.equal(false);
      const poster = await fetch(listed?.posterUrl ?? '');
      expect(poster.status).to.equal(200);
      const watched = await json<VideoBody>(`/videos/${ticket.videoId}`, tokenB);
      const playable = await fetch(watched.body.renditions[0]?.url ?? '');
      expect(playable.status).to.equal(200);
      const bytes = Buffer.from(await playable.arrayBuffer());
      expect(bytes.subarray(4, 8).toString('latin1')).to.equal('ftyp');

      expect(await listIds(tokenB, '?mine=true')).not.to.include(ticket.videoId);
      expect(await listIds(tokenA, '?mine=true')).to.include(ticket.videoId);
      expect((await json<VideoBody>(`/videos/${ticket.videoId}`, tokenB)).status).to.equal(200);
    });
  });

  describe('uploads the policy forbids', () => {
    let ticket: Ticket;

    beforeEach(async () => {
      ticket = (await createUpload(tokenA, { filename: 'refused.mp4', contentType: 'video/mp4', size: 1000 }))
        .body;
    });

    afterEach(async () => {
      await cloud.whenIdle();
      const key = ticket.fields.key ?? '';
      const prefix = key.slice(0, key.lastIndexOf('/') + 1);
      expect(
        uploadEvents.filter((k) => k.includes(ticket.videoId)),
        'no upload event',
      ).to.deep.equal([]);
      expect(uploadEvents.filter((k) => k.startsWith(prefix))).to.deep.equal([]);
      const own = await json<VideoBody>(`/videos/${ticket.videoId}`, tokenA);
      expect(own.body.status, 'the pipeline never started').to.equal('UPLOADED');
    });

    const expect403 = (result: { status: number; text: string }, reason: RegExp) => {
      expect(result.status, result.text).to.equal(403);
      expect(result.text).to.match(/<Code>AccessDenied<\/Code>/);
      expect(result.text).to.match(reason);
    };

    it('refuses a file 1 byte over the limit (S3 answers 400 EntityTooLarge for content-length-range)', async () => {
      const result = await postToS3(ticket, Buffer.alloc(LIMIT + 1, 1));

      expect(result.status, result.text).to.equal(400);
      expect(result.text).to.match(/<Code>EntityTooLarge<\/Code>/);
    });

    it('refuses a file larger than the size the ticket was issued for, even within the limit', async () => {
      const result = await postToS3(ticket, Buffer.alloc(33_252, 1));

      expect(result.status, result.text).to.equal(400);
      expect(result.text).to.match(
        /<Code>EntityTooLarge<\/Code><Message>[^<]*<\/Message><ProposedSize>33252</,
      );
    });

    it('refuses a file smaller than the size the ticket was issued for', async () => {
      const result = await postToS3(ticket, Buffer.alloc(999, 1));

      expect(result.status, result.text).to.equal(400);
      expect(result.text).to.match(/<Code>EntityTooSmall<\/Code>/);
    });

    it('refuses a key outside the issued prefix', async () => {
      expect403(
        await postToS3(ticket, clip, { ...ticket.fields, key: `uploads/${USER_A.sub}/elsewhere.mp4` }),
        /Policy Condition failed: .*key/,
      );
    });

    it('refuses a non-video content type', async () => {
      expect403(
        await postToS3(ticket, clip, { ...ticket.fields, 'Content-Type': 'text/plain' }),
        /Policy Condition failed: .*Content-Type/,
      );
    });

    it('refuses a POST after the policy expired', async () => {
      // The S3 gateway runs in this process; the function that signed the policy does not.
      const clock = sinon.useFakeTimers({
        now: Date.parse(ticket.expiresAt) + 1000,
        toFake: ['Date'],
        shouldAdvanceTime: true,
      });
      try {
        expect403(await postToS3(ticket, clip), /Policy expired/);
      } finally {
        clock.restore();
      }
    });

    it("refuses A's policy under B's prefix", async () => {
      const key = `uploads/${USER_B.sub}/${ticket.videoId}/refused.mp4`;

      expect403(await postToS3(ticket, clip, { ...ticket.fields, key }), /Policy Condition failed: .*key/);
    });
  });

  describe('a replayed ticket', () => {
    it('keeps the second file as a second version of the key, starts no second job and changes nothing once READY', async function () {
      this.timeout(300_000);
      const jobs = jobRecorder(cloud);
      try {
        const ticket = (
          await createUpload(tokenA, { filename: 'twice.mp4', contentType: 'video/mp4', size: clip.length })
        ).body;

        const first = await postToS3(ticket, clip);
        const status = await waitForStatus(ticket.videoId, tokenA, 'READY');
        const replay = await postToS3(ticket, clip);
        await cloud.whenIdle();

        expect(first.status, first.text).to.equal(204);
        expect(status).to.equal('READY');
        expect(replay.status, 'S3 cannot refuse a valid policy twice').to.equal(204);
        expect(replay.versionId).to.be.a('string').and.not.equal(first.versionId);
        const versions = await cloud.clients.s3.send(
          new ListObjectVersionsCommand({ Bucket: cloud.names.uploadBucket, Prefix: ticket.fields.key }),
        );
        expect(versions.Versions?.map((v) => v.VersionId)).to.have.members([
          first.versionId,
          replay.versionId,
        ]);
        expect(jobs.jobsOf(ticket.videoId)).to.have.length(1);
        const after = (await json<VideoBody>(`/videos/${ticket.videoId}`, tokenA)).body;
        expect(after.status).to.equal('READY');
        expect(after.renditions.map((r) => r.rendition)).to.deep.equal(SMALL_CLIP_LADDER.mediaconvert);
      } finally {
        jobs.stop();
      }
    });
  });

  describe('API validation on the local cloud', () => {
    it('answers 400 with a reason for a file over the limit, before any policy is issued', async () => {
      const result = await createUpload(tokenA, {
        filename: 'big.mp4',
        contentType: 'video/mp4',
        size: LIMIT + 1,
      });

      expect(result.status).to.equal(400);
      expect(result.body).to.deep.include({ code: 'TOO_LARGE' });
    });

    it('answers 400 for a malformed cursor', async () => {
      const result = await json<{ code: string }>('/videos?cursor=%%%', tokenA);

      expect(result.status).to.equal(400);
      expect(result.body.code).to.equal('INVALID_CURSOR');
    });
  });
});
