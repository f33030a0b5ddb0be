import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { uploadFile, waitForTerminal } from '#local/follow';
import { generateClip, probe, runFfmpeg } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import { SynthesizedStack } from '#local/synthesized-stack';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';
import { metadataKey, RENDITIONS, type Rendition } from '#shared/video';
import { SMALL_CLIP_LADDER } from '#test/support/ladders.ts';
import { download, jobRecorder, topLevelBoxes } from '#test/support/local-cloud.ts';

// Guards against a hung pipeline; never an assertion on speed.
const TERMINAL_WITHIN_MS = 120_000;

for (const backend of TRANSCODER_BACKENDS as readonly TranscoderBackend[]) {
  describe(`e2e: the local pipeline on ${backend}`, () => {
    let stackFile: string;
    let cloud: LocalCloud;
    let dir: string;
    let jobs: ReturnType<typeof jobRecorder>;

    before(async () => {
      stackFile = await prepareLocalStack(backend);
      dir = await mkdtemp(join(tmpdir(), `e2e-${backend}-`));
      cloud = await startLocalCloud({ stackFile, retryDelayMs: 50 });
      jobs = jobRecorder(cloud);
    });

    after(async () => {
      jobs?.stop();
      await cloud?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /**
     * Uploads a clip and follows it to READY: exactly `ladder`, each output faststart, playable, tagged
     * public, probed at the clip's size, and metadata.json taken from the highest of them.
     */
    async function expectReadyWith(
      file: string,
      ladder: readonly Rendition[],
      size: { width: number; height: number },
    ): Promise<void> {
      const { videoId, key } = await uploadFile(cloud, file);
      const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

      expect(video.status, video.reason).to.equal('READY');
      expect(video.source?.key).to.equal(key);
      expect(video.expectedRenditions).to.deep.equal(ladder);
      expect(video.outputs.map((o) => o.rendition)).to.deep.equal(ladder);
      for (const output of video.outputs) {
        const { path, bytes } = await download(cloud, cloud.names.transcodedBucket, output.key, dir);
        const boxes = topLevelBoxes(bytes);
        expect(boxes.indexOf('moov'), `${output.key} boxes ${boxes.join(',')}`).to.be.within(
          0,
          boxes.indexOf('mdat'),
        );
        const facts = await probe(path);
        expect(facts).to.include({ ...size, hasAudio: true });
        expect(output, `${output.key} probed`).to.include(size);
        await runFfmpeg(['-v', 'error', '-i', path, '-f', 'null', '-']);
        const tags = await cloud.clients.s3.send(
          new GetObjectTaggingCommand({ Bucket: cloud.names.transcodedBucket, Key: output.key }),
        );
        expect(tags.TagSet).to.deep.include({ Key: 'visibility', Value: 'public' });
        expect(output.public).to.equal(true);
      }
      for (const other of RENDITIONS.filter((r) => !ladder.includes(r))) {
        const missing = await cloud.clients.s3
          .send(
            new HeadObjectCommand({
              Bucket: cloud.names.transcodedBucket,
              Key: `videos/${videoId}/${other}.mp4`,
            }),
          )
          .catch((error: Error) => error);
        expect(missing, `${other} was not made`).to.be.instanceOf(Error);
      }
      expect(video.metadata).to.include({ ...size, videoCodec: 'h264', audioCodec: 'aac' });
      expect(video.metadata?.durationSeconds).to.be.closeTo(2, 0.2);
      const document = await download(cloud, cloud.names.transcodedBucket, metadataKey(videoId), dir);
      expect(JSON.parse(document.bytes.toString('utf8'))).to.include({
        videoId,
        rendition: ladder[0],
        ...size,
      });
      expect(jobs.jobsOf(videoId)).to.have.length(1);
    }

    describe('a normal clip', () => {
      it(`reaches READY with ${SMALL_CLIP_LADDER[backend].join(', ')} from a 320×240 clip: faststart, playable, public, probed, with metadata.json, when the filename has spaces, a +, unicode and several dots`, async () => {
        const file = join(dir, 'my holiday + café.final.v2.mp4');
        await generateClip(file, { seconds: 2, width: 320, height: 240, audio: true });

        await expectReadyWith(file, SMALL_CLIP_LADDER[backend], { width: 320, height: 240 });
      });

      it('reaches READY with every rendition from a 1080p clip, each at its own size', async () => {
        const file = join(dir, 'full hd.mp4');
        await generateClip(file, { seconds: 2, width: 1920, height: 1080, audio: true });

        const { videoId } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

        expect(video.status, video.reason).to.equal('READY');
        expect(video.expectedRenditions).to.deep.equal(RENDITIONS);
        expect(video.outputs.map((o) => [o.rendition, o.width, o.height, o.public])).to.deep.equal([
          ['1080p', 1920, 1080, true],
          ['720p', 1280, 720, true],
          ['web-720p', 1280, 720, true],
        ]);
        for (const output of video.outputs) {
          const tags = await cloud.clients.s3.send(
            new GetObjectTaggingCommand({ Bucket: cloud.names.transcodedBucket, Key: output.key }),
          );
          expect(tags.TagSet).to.deep.include({ Key: 'visibility', Value: 'public' });
        }
        expect(video.metadata).to.include({ width: 1920, height: 1080 });
        const document = await download(cloud, cloud.names.transcodedBucket, metadataKey(videoId), dir);
        expect(JSON.parse(document.bytes.toString('utf8'))).to.include({ rendition: '1080p', width: 1920 });
      });

      it('makes every rendition of a 320×240 clip when the cloud runs with the ladder off (renditionLadder: full)', async () => {
        const full = await startLocalCloud({ stackFile, retryDelayMs: 50, renditionLadder: 'full' });
        try {
          const file = join(dir, 'small, full ladder.mp4');
          await generateClip(file, { seconds: 2, width: 320, height: 240, audio: true });

          const { videoId } = await uploadFile(full, file);
          const video = await waitForTerminal(full, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

          expect(video.status, video.reason).to.equal('READY');
          expect(video.expectedRenditions).to.deep.equal(RENDITIONS);
          expect(video.outputs.map((o) => [o.rendition, o.width, o.height])).to.deep.equal(
            RENDITIONS.map((r) => [r, 320, 240]),
          );
        } finally {
          await full.stop();
        }
      });
    });

    describe('uploads that are not videos', () => {
      it('rejects a zero-byte .mp4 with a reason and starts no job', async () => {
        const file = join(dir, 'empty.mp4');
        await writeFile(file, Buffer.alloc(0));

        const { videoId } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });
        await cloud.whenIdle();

        expect(video.status).to.equal('REJECTED');
        expect(video.errorCode).to.equal('EMPTY_FILE');
        expect(video.reason).to.contain('empty');
        expect(video.jobId).to.equal(undefined);
        expect(jobs.jobsOf(videoId)).to.deep.equal([]);
      });

      it('rejects a .txt with an UNSUPPORTED_TYPE reason and starts no job: EventBridge takes what the suffix filter leaves out', async () => {
        const file = join(dir, 'my notes + é.txt');
        await writeFile(file, 'not a video');
        const origins: string[] = [];
        const onDelivery = ({ origin }: { origin: string }) => origins.push(origin);
        cloud.events.on('delivery', onDelivery);

        const { videoId, key } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });
        await cloud.whenIdle();
        cloud.events.off('delivery', onDelivery);

        expect(video.status).to.equal('REJECTED');
        expect(video.errorCode).to.equal('UNSUPPORTED_TYPE');
        expect(video.reason).to.contain('my notes + é.txt');
        expect(video.source?.key).to.equal(key);
        expect(video.jobId).to.equal(undefined);
        expect(jobs.jobsOf(videoId)).to.deep.equal([]);
        expect(origins).not.to.include(`s3:${cloud.names.uploadBucket}`);
        expect(origins.filter((origin) => origin.endsWith('-uploads-other-types'))).to.have.length(1);
      });
    });

    describe('a corrupt video', () => {
      it('becomes FAILED with the transcoder error and keeps the upload when the .mp4 is truncated', async () => {
        const whole = join(dir, 'whole.mp4');
        await generateClip(whole, { seconds: 2, width: 320, height: 240 });
        const file = join(dir, 'truncated clip.mp4');
        await writeFile(file, (await readFile(whole)).subarray(0, 1500));

        const { videoId, key } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

        expect(video.status).to.equal('FAILED');
        expect(video.errorCode).to.match(/^\d+$/);
        expect(video.reason).to.be.a('string').and.have.length.greaterThan(10);
        expect(jobs.jobsOf(videoId)).to.have.length(1);
        const kept = await cloud.clients.s3.send(
          new HeadObjectCommand({ Bucket: cloud.names.uploadBucket, Key: key }),
        );
        expect(kept.ContentLength).to.equal(1500);
      });
    });

    describe('duplicate delivery', () => {
      it('starts exactly one job and writes one item when the same S3 event arrives three times', async () => {
        const file = join(dir, 'duplicate.mp4');
        await generateClip(file, { seconds: 2, width: 320, height: 240 });
        const deliveries: { target: string; event: unknown }[] = [];
        const onDelivery = (d: { target: string; event: unknown; origin: string }) => {
          if (d.origin === `s3:${cloud.names.uploadBucket}`) deliveries.push(d);
        };
        cloud.events.on('delivery', onDelivery);

        const { videoId, key } = await uploadFile(cloud, file);
        await waitForFirst(deliveries);
        const [first] = deliveries as [{ target: string; event: unknown }];
        cloud.deliver(first.target, structuredClone(first.event), 'redelivery');
        cloud.deliver(first.target, structuredClone(first.event), 'redelivery');
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });
        await cloud.whenIdle();
        cloud.events.off('delivery', onDelivery);

        expect(video.status).to.equal('READY');
        expect(jobs.jobsOf(videoId)).to.have.length(1);
        const items = await cloud.clients.dynamodb.send(
          new ScanCommand({ TableName: cloud.names.videoTable }),
        );
        const forKey = (items.Items ?? []).filter((item) => item.source?.M?.key?.S === key);
        expect(forKey).to.have.length(1);
      });
    });

    describe('unusual clips', () => {
      it('reaches READY without an audio track when the clip has none', async () => {
        const file = join(dir, 'silent.mp4');
        await generateClip(file, { seconds: 2, width: 320, height: 240, audio: false });

        const { videoId } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

        expect(video.status).to.equal('READY');
        expect(video.metadata).to.include({ width: 320, height: 240 });
        expect(video.metadata?.audioCodec).to.equal(undefined);
        expect(video.outputs.map((o) => o.rendition)).to.deep.equal(SMALL_CLIP_LADDER[backend]);
      });

      it('reaches READY in portrait dimensions when the clip is rotated 90°', async () => {
        const file = join(dir, 'portrait.mp4');
        await generateClip(file, { seconds: 2, width: 320, height: 240, rotate: 90 });

        const { videoId } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

        expect(video.status).to.equal('READY');
        expect(video.metadata).to.include({ width: 240, height: 320 });
        expect(video.outputs.map((o) => o.rendition)).to.deep.equal(SMALL_CLIP_LADDER[backend]);
        for (const output of video.outputs) expect(output).to.include({ width: 240, height: 320 });
      });

      it('reaches READY for an MPEG-TS camcorder clip (.mts, H.264 inside)', async () => {
        const file = join(dir, 'camcorder.mts');
        await generateClip(file, { seconds: 2, width: 320, height: 240, format: 'mpegts' });

        const { videoId } = await uploadFile(cloud, file);
        const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

        expect(video.status, video.reason).to.equal('READY');
        expect(video.metadata).to.include({ width: 320, height: 240, videoCodec: 'h264' });
      });

      for (const [name, clip] of [
        ['one frame', { seconds: 1, width: 320, height: 240, frames: 1, audio: false }],
        ['a tenth of a second', { seconds: 0.1, width: 320, height: 240 }],
      ] as const) {
        it(`reaches READY for a clip of ${name}, shorter than the poster's capture interval`, async () => {
          const file = join(dir, `${name.replace(/ /g, '-')}.mp4`);
          await generateClip(file, clip);

          const { videoId } = await uploadFile(cloud, file);
          const video = await waitForTerminal(cloud, videoId, { timeoutMs: TERMINAL_WITHIN_MS });

          expect(video.status, video.reason).to.equal('READY');
          expect(video.outputs.map((o) => o.rendition)).to.deep.equal(SMALL_CLIP_LADDER[backend]);
        });
      }
    });

    describe('wiring read from the synthesized stack', () => {
      it('never reaches READY when the subscriptions of the topic the transcoded bucket notifies are removed from the JSON', async () => {
        const original = SynthesizedStack.fromFile(stackFile);
        const json = structuredClone(original.json) as {
          resource: Record<string, Record<string, { topic?: { topic_arn: string }[]; topic_arn?: string }>>;
        };
        // The topic the transcoded bucket notifies: its subscribers record, tag and probe each rendition.
        const notifiedTopics = Object.values(json.resource.aws_s3_bucket_notification ?? {}).flatMap((n) =>
          (n.topic ?? []).map((t) => t.topic_arn),
        );
        const subscriptions = json.resource.aws_sns_topic_subscription ?? {};
        const removed = Object.keys(subscriptions).filter((name) =>
          notifiedTopics.includes(String(subscriptions[name]?.topic_arn)),
        );
        for (const name of removed) delete subscriptions[name];
        const broken = await startLocalCloud({
          stack: new SynthesizedStack(json, original.directory),
          retryDelayMs: 50,
        });
        try {
          const file = join(dir, 'unwired clip.mp4');
          await generateClip(file, { seconds: 2, width: 320, height: 240 });

          const { videoId } = await uploadFile(broken, file);
          await broken.whenIdle();
          const stuck = await waitForTerminal(broken, videoId, { timeoutMs: 1 }).catch(
            (error: Error) => error,
          );

          expect(removed).to.have.length.greaterThan(0);
          expect(stuck).to.be.instanceOf(Error);
          expect((stuck as Error).message).to.contain('TRANSCODING');
        } finally {
          await broken.stop();
        }
      });
    });
  });
}

async function waitForFirst(list: readonly unknown[]): Promise<void> {
  for (let i = 0; i < 500 && list.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (list.length === 0) throw new Error('S3 delivered no event for the upload.');
}
