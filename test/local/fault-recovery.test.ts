import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type LocalCloud, type ProgressEvent, startLocalCloud } from '#local/cloud';
import { type LocalCloudApi, startLocalCloudApi } from '#local/emulators/apigateway';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '#local/emulators/cognito';
import type { DeadLetter } from '#local/emulators/lambda';
import { localRepository, uploadFile, waitForTerminal } from '#local/follow';
import { generateClip } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import type { Video } from '#shared/store';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';
import { outputPrefix, UPLOAD_EXPIRED } from '#shared/video';
import { jobLedger, oneJobAtATime, publicObjects, RecoveryTable } from '#test/support/recovery.ts';

// Guards against a hung pipeline; never an assertion on speed.
const WITHIN_MS = 120_000;
/** The reconciler's clock in these tests: far enough ahead that every bound has passed. */
const LATER_MS = 2 * 3600 * 1000;
const USER = { sub: 'cccccccc-0000-4000-8000-0000000000c3', username: 'carol' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of TRANSCODER_BACKENDS as readonly TranscoderBackend[]) {
  describe(`e2e: faults on the local cloud (${backend}): every video ends READY, FAILED with a reason, or in a dead-letter queue`, () => {
    let cloud: LocalCloud;
    let api: LocalCloudApi;
    let idp: LocalIdentityProvider;
    let token: string;
    let dir: string;
    let clip: string;
    let jobs: ReturnType<typeof jobLedger>;
    const recoveries = new RecoveryTable();
    let counter = 0;

    before(async function () {
      this.timeout(600_000);
      dir = await mkdtemp(join(tmpdir(), `e2e-faults-${backend}-`));
      cloud = await startLocalCloud({
        stackFile: await prepareLocalStack(backend),
        retryDelayMs: 50,
        schedules: 'manual',
      });
      jobs = jobLedger(cloud);
      idp = await createLocalIdentityProvider();
      api = await startLocalCloudApi(cloud, { identity: idp });
      token = await idp.issueToken(USER);
      clip = join(dir, 'clip.mp4');
      await generateClip(clip, { seconds: 1, width: 320, height: 240, audio: true });
    });

    afterEach(() => cloud?.faults.clear());

    after(async function () {
      this.timeout(60_000);
      console.log(
        `\n      recovery under faults (${backend}):\n${recoveries.toString().replace(/^/gm, '      ')}\n`,
      );
      jobs?.stop();
      await api?.stop();
      await cloud?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const repository = () => localRepository(cloud);
    const upload = async () => {
      const started = Date.now();
      const { videoId } = await uploadFile(cloud, clip, `fault ${++counter}.mp4`);
      return { videoId, started };
    };
    const terminal = (videoId: string) => waitForTerminal(cloud, videoId, { timeoutMs: WITHIN_MS });
    /** Waits for the video's end and records it in the recovery table. */
    const ended = async (videoId: string, started: number, row: { fault: string; recovery: string }) => {
      const video = await terminal(videoId);
      recoveries.add({ ...row, outcome: video.status, ms: Date.now() - started });
      return video;
    };
    /** One reconciler run as its schedule would make it, at `LATER_MS` from now by its clock. */
    const reconcileLater = async () => {
      cloud.runSchedule(undefined, { time: new Date(Date.now() + LATER_MS) });
      await cloud.whenIdle();
    };
    const deadLetterOf = (functionName: string) =>
      new Promise<DeadLetter>((resolve) => {
        const onProgress = (event: ProgressEvent) => {
          if (event.kind === 'dead-letter' && event.letter.functionName.endsWith(`-${functionName}`)) {
            cloud.events.off('progress', onProgress);
            resolve(event.letter);
          }
        };
        cloud.events.on('progress', onProgress);
      });
    /** What `npm run redrive -- <function>` does locally: the dead letter's event, delivered again. */
    const redrive = (letter: DeadLetter) => {
      const fn = cloud.stack
        .resources('aws_lambda_function')
        .map((f) => cloud.stack.attribute(f.address, 'arn') as string)
        .find((arn) => arn.endsWith(`:${letter.functionName}`));
      cloud.deliver(fn ?? letter.functionName, structuredClone(letter.event), 'redrive');
    };
    const expectOneJob = (video: Video) => {
      expect(
        jobs.jobsOf(video.videoId).map((j) => j.jobId),
        'jobs',
      ).to.deep.equal([video.jobId]);
    };

    describe('a video stuck in TRANSCODING with no job (High)', () => {
      it('finishes the job it claimed when transcode-video times out between the claim and CreateJob (the transcoder hung)', async () => {
        // Arrange
        const hung = cloud.faults.inject({
          service: 'transcoder',
          kind: 'stall',
          operation: 'CreateJob',
          ms: 8000,
        });
        const timeout = cloud.faults.inject({
          service: 'lambda',
          function: 'transcode-video',
          kind: 'timeout',
          afterMs: 4000,
        });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'transcode-video times out between claim and CreateJob',
          recovery: 'Lambda retry (same request id) resumed the claim',
        });

        // Assert
        expect([hung.fired, timeout.fired], 'CreateJob hung, then the function timed out').to.deep.equal([
          1, 1,
        ]);
        expect(video.status).to.equal('READY');
        expectOneJob(video);
      });

      it('finishes the job it claimed when its process is killed between the claim and CreateJob', async () => {
        // Arrange
        cloud.faults.inject({ service: 'transcoder', kind: 'stall', operation: 'CreateJob', ms: 8000 });
        let killed = 0;
        const onFault = ({ fault }: { fault: { service: string } }) => {
          if (fault.service === 'transcoder') killed = cloud.faults.kill('transcode-video');
        };
        cloud.events.on('fault', onFault);

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'transcode-video killed between claim and CreateJob',
          recovery: 'Lambda retry (same request id) resumed the claim',
        });
        cloud.events.off('fault', onFault);

        // Assert
        expect(killed, 'containers killed while CreateJob hung').to.equal(1);
        expect(video.status).to.equal('READY');
        expectOneJob(video);
      });

      it('leaves a claim its every attempt died on to the reconciler, which starts the one job', async () => {
        // Arrange
        cloud.faults.inject({
          service: 'transcoder',
          kind: 'stall',
          operation: 'CreateJob',
          ms: 8000,
          count: 3,
        });
        cloud.faults.inject({
          service: 'lambda',
          function: 'transcode-video',
          kind: 'timeout',
          afterMs: 3000,
          count: 3,
        });
        const dead = deadLetterOf('transcode-video');

        // Act
        const { videoId, started } = await upload();
        const letter = await dead;
        await cloud.whenIdle();
        const stuck = await repository().get(videoId);
        await reconcileLater();
        const video = await terminal(videoId);
        const ms = Date.now() - started;
        redrive(letter);
        await cloud.whenIdle();
        recoveries.add({
          fault: 'every attempt of transcode-video dies after its claim',
          outcome: video.status,
          ms,
          recovery: 'reconciler: lease over, upload resumed; a later redrive changes nothing',
        });

        // Assert
        expect(stuck).to.deep.include({ status: 'TRANSCODING' });
        expect(stuck?.jobId).to.equal(undefined);
        expect(video.status).to.equal('READY');
        expect((await repository().get(videoId))?.status, 'after the redrive too').to.equal('READY');
        expectOneJob(video);
      });
    });

    describe('faults of the transcoder (Medium: not the input’s fault)', () => {
      it('replaces a job whose engine died mid-job on the same claim, and reaches READY', async () => {
        // Arrange
        cloud.faults.inject({ service: 'transcoder', kind: 'die-mid-job' });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'transcoder engine (ffmpeg) killed mid-job',
          recovery: 'transcode-status asked transcode-video for a new job',
        });

        // Assert
        expect(video.status).to.equal('READY');
        const ledger = jobs.jobsOf(videoId);
        expect(ledger.map((j) => j.endedAs)).to.deep.equal(['ERROR', 'COMPLETE']);
        expect(oneJobAtATime(ledger), 'the new job started after the first ended').to.equal(true);
        expect(video).to.deep.include({ jobId: ledger[1]?.jobId, retiredJobIds: [ledger[0]?.jobId] });
      });

      it('replaces a job that S3 failed with 503 SlowDown while it read the upload', async () => {
        // Arrange: MediaConvert's Probe reads the upload once before the job does.
        const slowDown = cloud.faults.inject({
          service: 's3',
          kind: 'slow-down',
          bucket: cloud.names.uploadBucket,
          method: 'GET',
          skip: backend === 'mediaconvert' ? 1 : 0,
          count: 3,
        });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'S3 503 SlowDown on the transcoder’s reads',
          recovery: 'transcode-status asked transcode-video for a new job',
        });

        // Assert
        expect(slowDown.fired).to.equal(3);
        expect(video.status).to.equal('READY');
        expect(jobs.jobsOf(videoId).map((j) => j.endedAs)).to.deep.equal(['ERROR', 'COMPLETE']);
        expect(oneJobAtATime(jobs.jobsOf(videoId))).to.equal(true);
      });

      it('ends FAILED with a reason that does not blame the file when every attempt fails, serving nothing it wrote', async () => {
        // Arrange
        cloud.faults.inject({ service: 'transcoder', kind: 'die-mid-job', count: 3 });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'transcoder engine dies on all 3 attempts',
          recovery: 'FAILED after 3 jobs, outputs untagged',
        });
        await cloud.whenIdle();

        // Assert
        expect(video.status).to.equal('FAILED');
        expect(video.reason)
          .to.match(/failed 3 jobs for reasons of its own/)
          .and.match(/not at fault/);
        expect(jobs.jobsOf(videoId).map((j) => j.endedAs)).to.deep.equal(['ERROR', 'ERROR', 'ERROR']);
        expect(
          await publicObjects(cloud, cloud.names.transcodedBucket, outputPrefix(videoId)),
          'objects CloudFront would serve',
        ).to.deep.equal([]);
      });

      it('reaches READY through the reconciler when the transcoder never sends the completion', async () => {
        // Arrange
        cloud.faults.inject({ service: 'transcoder', kind: 'lose-completion' });

        // Act
        const { videoId, started } = await upload();
        await cloud.whenIdle();
        const stuck = await repository().get(videoId);
        await reconcileLater();
        const video = await ended(videoId, started, {
          fault: 'transcoder never sends the completion event',
          recovery: 'reconciler read the job (GetJob/ReadJob) and applied COMPLETE',
        });

        // Assert
        expect(stuck).to.deep.include({ status: 'TRANSCODING', jobComplete: false });
        expect(video.status).to.equal('READY');
        expectOneJob(video);
      });
    });

    describe('faults of the functions and their events', () => {
      it('reaches READY when transcode-video throws on its first attempt', async () => {
        // Arrange
        const thrown = cloud.faults.inject({ service: 'lambda', function: 'transcode-video', kind: 'throw' });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'transcode-video throws on its first attempt',
          recovery: 'Lambda retry',
        });

        // Assert
        expect(thrown.fired).to.equal(1);
        expect(video.status).to.equal('READY');
        expectOneJob(video);
      });

      it('reaches READY with one job when every job state is delivered twice', async () => {
        // Arrange
        const twice = cloud.faults.inject({
          service: 'events',
          kind: 'duplicate',
          target: 'transcode-status',
          count: 50,
        });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'every job state delivered twice',
          recovery: 'guarded transitions (no recovery needed)',
        });
        await cloud.whenIdle();

        // Assert
        expect(twice.fired).to.be.greaterThan(1);
        expect(video.status).to.equal('READY');
        expectOneJob(video);
      });

      it('stays READY when the job’s first state arrives late, after its completion', async () => {
        // Arrange
        const late = cloud.faults.inject({
          service: 'events',
          kind: 'delay',
          ms: 6000,
          target: 'transcode-status',
        });

        // Act
        const { videoId, started } = await upload();
        const video = await ended(videoId, started, {
          fault: 'first job state delivered late, out of order',
          recovery: 'guarded transitions (no recovery needed)',
        });
        await cloud.whenIdle();

        // Assert
        expect(late.fired).to.equal(1);
        expect(video.status).to.equal('READY');
        expect(await repository().get(videoId)).to.deep.include({ status: 'READY', progress: 100 });
        expectOneJob(video);
      });

      it('dead-letters the upload while DynamoDB is unreachable; the redrive then completes it', async () => {
        // Arrange
        const outage = 8000;
        cloud.faults.inject({ service: 'dynamodb', kind: 'unreachable', ms: outage });
        const injectedAt = Date.now();
        const dead = deadLetterOf('transcode-video');

        // Act
        const { videoId, started } = await upload();
        const letter = await dead;
        await sleep(Math.max(0, injectedAt + outage + 200 - Date.now()));
        const before = await repository().get(videoId);
        redrive(letter);
        const video = await terminal(videoId);
        recoveries.add({
          fault: `DynamoDB unreachable for ${outage / 1000} s`,
          outcome: `dead letter, then ${video.status}`,
          ms: Date.now() - started,
          recovery: 'redrive of the dead letter',
        });

        // Assert
        expect(letter.attempts).to.equal(3);
        expect(before, 'nothing recorded while DynamoDB was down').to.equal(undefined);
        expect(video.status).to.equal('READY');
        expectOneJob(video);
      });
    });

    describe('what the reconciler closes', () => {
      const call = async <T>(path: string, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        if (init.body) headers.set('content-type', 'application/json');
        const response = await fetch(`${api.endpoint}${path}`, { ...init, headers });
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
      };
      const ticket = async () => {
        const issued = await call<{ videoId: string }>('/uploads', {
          method: 'POST',
          body: JSON.stringify({ filename: 'never sent.mp4', contentType: 'video/mp4', size: 1000 }),
        });
        expect(issued.status).to.equal(201);
        return issued.body.videoId;
      };

      it('rejects an upload ticket whose policy expired with no file as UPLOAD_EXPIRED (Low: unused tickets)', async () => {
        // Arrange
        const started = Date.now();
        const videoId = await ticket();
        const unused = await repository().get(videoId);

        // Act
        await reconcileLater();
        const video = await terminal(videoId);
        recoveries.add({
          fault: 'upload ticket never used',
          outcome: `${video.status} ${video.errorCode}`,
          ms: Date.now() - started,
          recovery: 'reconciler: no object under the upload prefix',
        });

        // Assert
        expect(unused?.status).to.equal('UPLOADED');
        expect(video).to.deep.include({ status: 'REJECTED', errorCode: UPLOAD_EXPIRED });
        expect(video.reason).to.match(/upload link expired/);
        expect((await call<{ status: string }>(`/videos/${videoId}`)).body.status).to.equal('REJECTED');
      });

      it('purges a deleted video whose purge every attempt lost, without a redrive', async () => {
        // Arrange
        const videoId = await ticket();
        const lost = cloud.faults.inject({
          service: 'lambda',
          function: 'delete-video',
          kind: 'throw',
          count: 3,
        });
        const dead = deadLetterOf('delete-video');
        expect((await call(`/videos/${videoId}`, { method: 'DELETE' })).status).to.equal(202);
        await dead;
        await cloud.whenIdle();
        const unpurged = await repository().get(videoId);
        const started = Date.now();

        // Act
        await reconcileLater();
        const tombstone = await repository().get(videoId);
        recoveries.add({
          fault: 'every delete-video attempt fails (purge lost)',
          outcome: tombstone?.purgedAt ? 'DELETED, purged' : 'DELETED, not purged',
          ms: Date.now() - started,
          recovery: 'reconciler invoked delete-video again',
        });

        // Assert
        expect(lost.fired).to.equal(3);
        expect(unpurged).to.deep.include({ status: 'DELETED' });
        expect(unpurged?.purgedAt).to.equal(undefined);
        expect(tombstone?.purgedAt).to.be.a('string');
      });
    });
  });
}
