import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelJobCommand,
  CreateJobCommand,
  GetJobCommand,
  MediaConvertClient,
  ProbeCommand,
} from '@aws-sdk/client-mediaconvert';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { buildMediaConvertJob, MediaConvertTranscoder, parseMediaConvertEvent } from '#shared/transcoder';
import {
  type MediaConvertEmulator,
  type MediaConvertJobStateEvent,
  startMediaConvertEmulator,
} from '../../../local/emulators/mediaconvert.ts';
import { LOCAL_CREDENTIALS, type LocalS3, startS3 } from '../../../local/emulators/s3.ts';
import { FaultRegistry, transcoderFaults } from '../../../local/faults.ts';
import { FFPROBE_PATH, generateClip } from '../../../local/media/ffmpeg.ts';

const REGION = 'us-east-1';
const UPLOADS = 'uploads';
const TRANSCODED = 'transcoded';
const QUEUE_ARN = 'arn:aws:mediaconvert:us-east-1:000000000000:queues/Default';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/mediaconvert';

function videoId(): string {
  return randomBytes(16).toString('base64url');
}

async function rejection(promise: Promise<unknown>): Promise<Error & { name: string }> {
  return promise.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (error: Error) => error,
  );
}

describe('integration', () => {
  describe('MediaConvert emulator', function () {
    this.timeout(120_000);

    let dir: string;
    let s3: LocalS3;
    let emulator: MediaConvertEmulator;
    let client: MediaConvertClient;
    let transcoder: MediaConvertTranscoder;
    const events: MediaConvertJobStateEvent[] = [];
    const created: string[] = [];
    const faults = new FaultRegistry();
    const keys = {
      normal: 'uploads/user-1/clip with audio é.mp4',
      silent: 'uploads/user-1/silent clip.mp4',
      portrait: 'uploads/user-1/portrait.mov',
      corrupt: 'uploads/user-1/broken clip.mp4',
      mpegts: 'uploads/user-1/camcorder.mts',
      oneFrame: 'uploads/user-1/one frame.mp4',
      tenth: 'uploads/user-1/a tenth of a second.mp4',
    };

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mediaconvert-emulator-'));
      s3 = await startS3({ dataDir: join(dir, 's3'), region: REGION, faults });
      await s3.createBucket(UPLOADS);
      await s3.createBucket(TRANSCODED);
      const clips: [keyof typeof keys, Parameters<typeof generateClip>[1]][] = [
        ['normal', { seconds: 2, width: 640, height: 360 }],
        ['silent', { seconds: 2, width: 640, height: 360, audio: false }],
        ['portrait', { seconds: 2, width: 640, height: 360, rotate: 90 }],
        ['mpegts', { seconds: 2, width: 640, height: 360, format: 'mpegts' }],
        ['oneFrame', { seconds: 1, width: 320, height: 240, frames: 1, audio: false }],
        ['tenth', { seconds: 0.1, width: 320, height: 240 }],
      ];
      for (const [name, clip] of clips) {
        const file = join(dir, `${name}.mp4`);
        await generateClip(file, clip);
        await s3.client.send(
          new PutObjectCommand({ Bucket: UPLOADS, Key: keys[name], Body: await readFile(file) }),
        );
      }
      await s3.client.send(
        new PutObjectCommand({ Bucket: UPLOADS, Key: keys.corrupt, Body: randomBytes(64 * 1024) }),
      );
      emulator = await startMediaConvertEmulator({
        s3Client: s3.client,
        emit: (event) => {
          events.push(event);
        },
        workDir: join(dir, 'work'),
        region: REGION,
        onJobCreated: ({ jobId }) => created.push(jobId),
        faults: transcoderFaults(faults),
      });
      client = new MediaConvertClient({
        endpoint: emulator.endpoint,
        region: REGION,
        credentials: LOCAL_CREDENTIALS,
      });
      transcoder = new MediaConvertTranscoder({
        client,
        queueArn: QUEUE_ARN,
        roleArn: ROLE_ARN,
        outputBucket: TRANSCODED,
      });
    });

    afterEach(() => faults.clear());

    after(async () => {
      await emulator?.stop();
      await s3?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    function eventsOf(jobId: string): MediaConvertJobStateEvent[] {
      return events.filter((event) => event.detail.jobId === jobId);
    }

    /** Codec of every stream of a transcoded object, and whether its moov box precedes mdat (faststart). */
    async function inspect(key: string): Promise<{ codecs: string[]; faststart: boolean }> {
      const object = await s3.client.send(new GetObjectCommand({ Bucket: TRANSCODED, Key: key }));
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      const file = join(dir, `inspect-${randomBytes(4).toString('hex')}.mp4`);
      await writeFile(file, bytes);
      const probe = spawnSync(FFPROBE_PATH, ['-v', 'error', '-print_format', 'json', '-show_streams', file], {
        encoding: 'utf8',
      });
      const streams = (JSON.parse(probe.stdout) as { streams: { codec_name: string }[] }).streams;
      const moov = bytes.indexOf('moov');
      const mdat = bytes.indexOf('mdat');
      return { codecs: streams.map((stream) => stream.codec_name), faststart: moov >= 0 && moov < mdat };
    }

    async function exists(key: string): Promise<boolean> {
      return s3.client.send(new HeadObjectCommand({ Bucket: TRANSCODED, Key: key })).then(
        () => true,
        () => false,
      );
    }

    describe('a normal clip started by the adapter', () => {
      it('writes three renditions and a poster under the video prefix and emits PROGRESSING … COMPLETE', async () => {
        // Arrange
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.normal },
        });
        await emulator.idle();

        // Assert
        const statuses = eventsOf(jobId).map((event) => event.detail.status);
        expect(statuses[0]).to.equal('PROGRESSING');
        expect(statuses.at(-1)).to.equal('COMPLETE');
        const last = eventsOf(jobId).at(-1);
        const state = parseMediaConvertEvent(last);
        expect(state.state).to.equal('COMPLETED');
        expect(state.posterKey).to.equal(`videos/${id}/poster.0000000.jpg`);
        expect(
          state.outputs?.map((output) => [output.rendition, output.key, output.width, output.height]),
        ).to.deep.equal([
          ['1080p', `videos/${id}/1080p.mp4`, 640, 360],
          ['720p', `videos/${id}/720p.mp4`, 640, 360],
          ['web-720p', `videos/${id}/web-720p.mp4`, 640, 360],
        ]);
        for (const key of [
          ...(state.outputs ?? []).map((output) => output.key ?? ''),
          state.posterKey ?? '',
        ]) {
          expect(await exists(key), key).to.equal(true);
        }
        expect(await inspect(`videos/${id}/1080p.mp4`)).to.deep.equal({
          codecs: ['h264', 'aac'],
          faststart: true,
        });
        const job = await client.send(new GetJobCommand({ Id: jobId }));
        expect(job.Job?.Status).to.equal('COMPLETE');
        expect(job.Job?.UserMetadata).to.deep.equal({ videoId: id });
      });
    });

    describe('a clip without audio', () => {
      it('completes when started by the adapter, which asks for no audio', async () => {
        // Arrange
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.silent },
        });
        await emulator.idle();

        // Assert
        const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
        expect(state.state).to.equal('COMPLETED');
        expect(await inspect(`videos/${id}/720p.mp4`)).to.deep.equal({ codecs: ['h264'], faststart: true });
        expect(await exists(`videos/${id}/poster.0000000.jpg`)).to.equal(true);
      });

      it('fails like MediaConvert when a job asks for its audio anyway', async () => {
        // Arrange
        const id = videoId();
        const request = { videoId: id, input: { bucket: UPLOADS, key: keys.silent } };
        const input = buildMediaConvertJob(request, {
          queueArn: QUEUE_ARN,
          roleArn: ROLE_ARN,
          outputBucket: TRANSCODED,
          hasAudio: true,
        });

        // Act
        const created = await client.send(new CreateJobCommand(input));
        await emulator.idle();

        // Assert
        const state = parseMediaConvertEvent(eventsOf(created.Job?.Id ?? '').at(-1));
        expect(state.state).to.equal('ERROR');
        expect(state.errorMessage).to.equal(
          'Invalid audio track specified for audio_selector [1]. Audio track [1] not found in input container.',
        );
      });
    });

    describe('an MPEG-TS clip (.mts, H.264 and AAC inside), which the packaged ffprobe cannot read', () => {
      it('answers Probe with its tracks', async () => {
        const answer = await client.send(
          new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${UPLOADS}/${keys.mpegts}` }] }),
        );

        const container = answer.ProbeResults?.[0]?.Container;
        expect(container?.Format).to.equal('mpegts');
        expect(container?.Tracks?.map((track) => [track.TrackType, track.Codec])).to.deep.equal([
          ['video', 'AVC'],
          ['audio', 'AAC'],
        ]);
        expect(container?.Tracks?.[0]?.VideoProperties).to.deep.include({ Width: 640, Height: 360 });
        expect(container?.Duration).to.be.closeTo(2, 0.2);
      });

      it('completes with three renditions and a poster, as MediaConvert takes MPEG-TS input', async () => {
        const id = videoId();

        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.mpegts },
        });
        await emulator.idle();

        const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
        expect(state.state, state.errorMessage).to.equal('COMPLETED');
        expect(await inspect(`videos/${id}/1080p.mp4`)).to.deep.equal({
          codecs: ['h264', 'aac'],
          faststart: true,
        });
        expect(await exists(`videos/${id}/poster.0000000.jpg`)).to.equal(true);
      });
    });

    describe('clips shorter than the poster interval (1 s)', () => {
      for (const clip of ['oneFrame', 'tenth'] as const) {
        it(`completes with a poster for ${keys[clip]}`, async () => {
          const id = videoId();

          const jobId = await transcoder.startJob({
            videoId: id,
            input: { bucket: UPLOADS, key: keys[clip] },
          });
          await emulator.idle();

          const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
          expect(state.state, state.errorMessage).to.equal('COMPLETED');
          expect(state.posterKey).to.equal(`videos/${id}/poster.0000000.jpg`);
          expect(await exists(`videos/${id}/poster.0000000.jpg`)).to.equal(true);
          expect(state.outputs).to.have.length(3);
        });
      }
    });

    describe('a portrait clip (landscape frames plus a 90° rotation tag)', () => {
      it('answers Probe with its coded size, a quarter-turn rotation and its bit rate', async () => {
        const answer = await client.send(
          new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${UPLOADS}/${keys.portrait}` }] }),
        );

        const container = answer.ProbeResults?.[0]?.Container;
        const video = container?.Tracks?.find((track) => track.TrackType === 'video')?.VideoProperties;
        expect(video).to.include({ Width: 640, Height: 360 });
        expect([90, 270]).to.include(video?.Rotation);
        expect(video?.BitRate).to.be.a('number').and.greaterThan(0);
        expect(container?.BitRate).to.be.a('number').and.greaterThan(0);
      });

      it('comes out portrait, not upscaled', async () => {
        // Arrange
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.portrait },
        });
        await emulator.idle();

        // Assert
        const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
        expect(state.state).to.equal('COMPLETED');
        expect(state.outputs?.map((output) => [output.width, output.height])).to.deep.equal([
          [360, 640],
          [360, 640],
          [360, 640],
        ]);
      });
    });

    describe('a corrupt file', () => {
      it('ends in ERROR with the input error code and a message naming the file', async () => {
        // Arrange
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.corrupt },
        });
        await emulator.idle();

        // Assert
        const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
        expect(state).to.include({ state: 'ERROR', errorCode: '1010', videoId: id });
        expect(state.errorMessage).to.equal(
          `Unable to open input file [s3://${UPLOADS}/${keys.corrupt}]: [Failed probe/open: [No parser found for container]]`,
        );
        const job = await client.send(new GetJobCommand({ Id: jobId }));
        expect(job.Job?.Status).to.equal('ERROR');
        expect(job.Job?.ErrorCode).to.equal(1010);
      });
    });

    describe('failures of its own (injected), reported as MediaConvert does', () => {
      it('reports an engine that died mid-job as 1999 Unknown Error, after writing the first output', async () => {
        // Arrange
        faults.inject({ service: 'transcoder', kind: 'die-mid-job' });
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.normal },
        });
        await emulator.idle();

        // Assert
        const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
        expect(state).to.include({ state: 'ERROR', errorCode: '1999' });
        expect(state.errorMessage).to.match(
          /^Unknown Error: the transcoding engine stopped unexpectedly \(SIGKILL\)/,
        );
        expect(await exists(`videos/${id}/1080p.mp4`), 'written before the engine died').to.equal(true);
        expect(await exists(`videos/${id}/720p.mp4`)).to.equal(false);
        expect(await transcoder.getJobState(jobId)).to.deep.include({ state: 'ERROR', errorCode: '1999' });
      });

      it('kills the only rendition of a one-rendition job when the engine dies mid-job', async () => {
        // Arrange
        faults.inject({ service: 'transcoder', kind: 'die-mid-job' });
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.normal },
          renditions: ['web-720p'],
        });
        await emulator.idle();

        // Assert
        expect(parseMediaConvertEvent(eventsOf(jobId).at(-1))).to.include({
          state: 'ERROR',
          errorCode: '1999',
        });
        expect(await exists(`videos/${id}/web-720p.mp4`)).to.equal(false);
      });

      it('reports S3 failing the input read with 503 SlowDown as 1999, not as the input’s fault', async () => {
        // Arrange: the adapter's Probe reads the input once first.
        faults.inject({
          service: 's3',
          kind: 'slow-down',
          bucket: UPLOADS,
          method: 'GET',
          skip: 1,
          count: 3,
        });

        // Act
        const jobId = await transcoder.startJob({
          videoId: videoId(),
          input: { bucket: UPLOADS, key: keys.silent },
        });
        await emulator.idle();

        // Assert
        const state = parseMediaConvertEvent(eventsOf(jobId).at(-1));
        expect(state).to.include({ state: 'ERROR', errorCode: '1999' });
        expect(state.errorMessage).to.match(/Amazon S3 could not be reached \(SlowDown/);
      });

      it('completes without the COMPLETE event when the completion is lost; GetJob still says COMPLETE', async () => {
        // Arrange
        faults.inject({ service: 'transcoder', kind: 'lose-completion' });
        const id = videoId();

        // Act
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.silent },
        });
        await emulator.idle();

        // Assert
        expect(eventsOf(jobId).map((event) => event.detail.status)).not.to.include('COMPLETE');
        expect(await transcoder.getJobState(jobId)).to.deep.equal({
          backend: 'mediaconvert',
          jobId,
          videoId: id,
          state: 'COMPLETED',
          percent: 100,
          posterKey: `videos/${id}/poster.0000000.jpg`,
        });
      });

      it('hangs on a CreateJob and drops it unprocessed', async () => {
        // Arrange
        faults.inject({ service: 'transcoder', kind: 'stall', operation: 'CreateJob', ms: 200 });
        const before = created.length;
        const input = buildMediaConvertJob(
          { videoId: videoId(), input: { bucket: UPLOADS, key: keys.silent } },
          { queueArn: QUEUE_ARN, roleArn: ROLE_ARN, outputBucket: TRANSCODED, hasAudio: false },
        );
        const once = new MediaConvertClient({
          endpoint: emulator.endpoint,
          region: REGION,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts: 1,
        });

        // Act
        const error = await rejection(once.send(new CreateJobCommand(input)));
        once.destroy();

        // Assert
        expect(error.message).to.match(/socket hang up|ECONNRESET/);
        expect(created.length, 'no job created').to.equal(before);
      });
    });

    describe('ClientRequestToken', () => {
      it('returns the first job for a repeated token and runs it once', async () => {
        // Arrange
        const input = buildMediaConvertJob(
          { videoId: videoId(), input: { bucket: UPLOADS, key: keys.silent } },
          { queueArn: QUEUE_ARN, roleArn: ROLE_ARN, outputBucket: TRANSCODED, hasAudio: false },
        );

        // Act
        const first = await client.send(new CreateJobCommand(input));
        const second = await client.send(new CreateJobCommand(input));
        await emulator.idle();

        // Assert
        expect(second.Job?.Id).to.equal(first.Job?.Id);
        const completions = eventsOf(first.Job?.Id ?? '').filter(
          (event) => event.detail.status === 'COMPLETE',
        );
        expect(completions).to.have.length(1);
      });
    });

    describe('settings it does not understand', () => {
      const base = () =>
        buildMediaConvertJob(
          { videoId: videoId(), input: { bucket: UPLOADS, key: keys.normal } },
          { queueArn: QUEUE_ARN, roleArn: ROLE_ARN, outputBucket: TRANSCODED, hasAudio: true },
        );

      it('refuses a scaling behaviour it cannot render, naming the JSON path', async () => {
        // Arrange
        const input = base();
        const video = input.Settings?.OutputGroups?.[0]?.Outputs?.[0]?.VideoDescription;
        if (video) video.ScalingBehavior = 'STRETCH_TO_OUTPUT';

        // Act
        const error = await rejection(client.send(new CreateJobCommand(input)));

        // Assert
        expect(error.name).to.equal('BadRequestException');
        expect(error.message).to.match(
          /^\/settings\/outputGroups\/0\/outputs\/0\/videoDescription\/scalingBehavior: /,
        );
        expect(error.message).to.include('FIT_NO_UPSCALE');
      });

      it('refuses a member it does not know instead of ignoring it', async () => {
        // Arrange
        const input = { ...base(), AccelerationSettings: { Mode: 'ENABLED' as const } };

        // Act
        const error = await rejection(client.send(new CreateJobCommand(input)));

        // Assert
        expect(error.name).to.equal('BadRequestException');
        expect(error.message).to.match(
          /^\/accelerationSettings: Not supported by the local MediaConvert emulator/,
        );
      });

      it('refuses a job without a role', async () => {
        // Arrange
        const input = { ...base(), Role: undefined as unknown as string };

        // Act
        const error = await rejection(client.send(new CreateJobCommand(input)));

        // Assert
        expect(error.name).to.equal('BadRequestException');
        expect(error.message).to.equal('/role: Is required.');
      });
    });

    describe('CancelJob', () => {
      async function outputsOf(id: string): Promise<string[]> {
        const listed = await s3.client.send(
          new ListObjectsV2Command({ Bucket: TRANSCODED, Prefix: `videos/${id}/` }),
        );
        return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
      }

      it('cancels a running job: ffmpeg stops, nothing more is written, CANCELED is emitted', async () => {
        // Arrange: cancel as soon as the job reports it is running.
        const id = videoId();
        const jobId = await transcoder.startJob({
          videoId: id,
          input: { bucket: UPLOADS, key: keys.normal },
        });
        for (let i = 0; i < 500 && !eventsOf(jobId).some((e) => e.detail.status === 'PROGRESSING'); i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }

        // Act
        const outcome = await transcoder.cancelJob(jobId);
        const writtenByCancel = await outputsOf(id);
        await emulator.idle();

        // Assert
        expect(outcome).to.equal('canceled');
        expect(await outputsOf(id), 'nothing written after CancelJob answered').to.deep.equal(
          writtenByCancel,
        );
        expect(writtenByCancel).not.to.include.members([`videos/${id}/poster.0000000.jpg`]);
        const statuses = eventsOf(jobId).map((event) => event.detail.status);
        expect(statuses.at(-1)).to.equal('CANCELED');
        expect(statuses).not.to.include.members(['COMPLETE', 'ERROR']);
        expect(parseMediaConvertEvent(eventsOf(jobId).at(-1)).state).to.equal('CANCELED');
        expect((await client.send(new GetJobCommand({ Id: jobId }))).Job?.Status).to.equal('CANCELED');
      });

      it('refuses to cancel a job that ended with ConflictException, which the adapter reads as finished', async () => {
        const jobId = await transcoder.startJob({
          videoId: videoId(),
          input: { bucket: UPLOADS, key: keys.silent },
        });
        await emulator.idle();

        const refusal = await rejection(client.send(new CancelJobCommand({ Id: jobId })));

        expect(refusal.name).to.equal('ConflictException');
        expect(await transcoder.cancelJob(jobId)).to.equal('finished');
      });

      it('answers NotFoundException for an unknown job', async () => {
        expect((await rejection(client.send(new CancelJobCommand({ Id: 'no-such-job' })))).name).to.equal(
          'NotFoundException',
        );
      });
    });

    describe('GetJob', () => {
      it('answers NotFoundException for an unknown job', async () => {
        const error = await rejection(client.send(new GetJobCommand({ Id: '1700000000000-nosuch' })));
        expect(error.name).to.equal('NotFoundException');
      });
    });
  });
});
