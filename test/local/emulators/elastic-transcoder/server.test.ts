import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelJobCommand,
  CreateJobCommand,
  ElasticTranscoderClient,
  ReadJobCommand,
  ReadPipelineCommand,
  ReadPresetCommand,
} from '@aws-sdk/client-elastic-transcoder';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { FaultRegistry, LOCAL_CREDENTIALS, transcoderFaults } from '#local/emulators/common';
import { type LocalElasticTranscoder, startElasticTranscoder } from '#local/emulators/elastic-transcoder';
import { type LocalS3, startS3 } from '#local/emulators/s3';
import { generateClip } from '#local/media';
import { buildCreateJobRequest, ElasticTranscoderTranscoder } from '#shared/transcoder';

const PIPELINE = '1111111111111-abcdef';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:status';

describe('integration', () => {
  describe('Elastic Transcoder emulator', () => {
    let dir: string;
    let s3: LocalS3;
    let et: LocalElasticTranscoder;
    let client: ElasticTranscoderClient;
    let published: { topic: string; message: Record<string, unknown> }[];
    const faults = new FaultRegistry();

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'et-emulator-'));
      s3 = await startS3({ dataDir: join(dir, 's3'), region: 'us-east-1', faults });
      await s3.createBucket('uploads');
      await s3.createBucket('transcoded');
      published = [];
      et = await startElasticTranscoder({
        s3: s3.client,
        publish: (topic, message) => published.push({ topic, message: JSON.parse(message) }),
        workDir: join(dir, 'work'),
        region: 'us-east-1',
        account: '000000000000',
        faults: transcoderFaults(faults),
      });
      et.addPipeline({
        id: PIPELINE,
        arn: `arn:aws:elastictranscoder:us-east-1:000000000000:pipeline/${PIPELINE}`,
        name: 'demo',
        inputBucket: 'uploads',
        outputBucket: 'transcoded',
        role: 'arn:aws:iam::000000000000:role/et',
        notifications: { progressing: TOPIC, completed: TOPIC, error: TOPIC },
      });
      client = new ElasticTranscoderClient({
        endpoint: et.endpoint,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
      });
    });

    beforeEach(() => {
      published.length = 0;
    });
    afterEach(() => faults.clear());

    describe('failures of its own (injected), reported as Elastic Transcoder does', () => {
      const transcoder = () => new ElasticTranscoderTranscoder({ client, pipelineId: PIPELINE });
      const upload = async (key: string) => {
        const clip = join(dir, 'fault-clip.mp4');
        await generateClip(clip, { seconds: 1, width: 320, height: 240 });
        await s3.client.send(
          new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: await readFile(clip) }),
        );
      };

      it('reports an engine that died mid-job as 9000 Internal Service Error, writing nothing', async () => {
        faults.inject({ service: 'transcoder', kind: 'die-mid-job' });
        await upload('dies.mp4');

        const jobId = await transcoder().startJob({
          videoId: 'AAAAAAAAAAAAAAAAAAAAAA',
          input: { bucket: 'uploads', key: 'dies.mp4' },
        });
        await et.whenIdle();

        expect(published.at(-1)?.message).to.deep.include({ state: 'ERROR', errorCode: 9000 });
        expect(await transcoder().getJobState(jobId)).to.deep.include({ state: 'ERROR', errorCode: '9000' });
      });

      it('reports S3 failing the input read with 503 SlowDown as 3000 Unclassified Storage Error', async () => {
        faults.inject({ service: 's3', kind: 'slow-down', bucket: 'uploads', method: 'GET', count: 3 });
        await upload('slow.mp4');

        await transcoder().startJob({
          videoId: 'AAAAAAAAAAAAAAAAAAAAAA',
          input: { bucket: 'uploads', key: 'slow.mp4' },
        });
        await et.whenIdle();

        expect(published.at(-1)?.message).to.deep.include({ state: 'ERROR', errorCode: 3000 });
        expect(String(published.at(-1)?.message.messageDetails)).to.match(/SlowDown/);
      });

      it('completes without the COMPLETED notification when the completion is lost; ReadJob says Complete', async () => {
        faults.inject({ service: 'transcoder', kind: 'lose-completion' });
        await upload('lost.mp4');

        const jobId = await transcoder().startJob({
          videoId: 'AAAAAAAAAAAAAAAAAAAAAA',
          input: { bucket: 'uploads', key: 'lost.mp4' },
        });
        await et.whenIdle();

        expect(published.map((p) => p.message.state)).to.deep.equal(['PROGRESSING']);
        expect(await transcoder().getJobState(jobId)).to.deep.include({ state: 'COMPLETED' });
      });
    });

    after(async () => {
      client.destroy();
      await et.stop();
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('answers ReadPipeline and ReadPreset through the SDK', async () => {
      const pipeline = await client.send(new ReadPipelineCommand({ Id: PIPELINE }));
      const preset = await client.send(new ReadPresetCommand({ Id: '1351620000001-000001' }));

      expect(pipeline.Pipeline).to.deep.include({
        Id: PIPELINE,
        InputBucket: 'uploads',
        OutputBucket: 'transcoded',
      });
      expect(preset.Preset?.Video).to.deep.include({ Codec: 'H.264', MaxWidth: '1920', MaxHeight: '1080' });
    });

    it('refuses a job for an unknown pipeline with ResourceNotFoundException', async () => {
      const outcome = await client
        .send(
          new CreateJobCommand({ PipelineId: '0000000000000-000000', Input: { Key: 'x.mp4' }, Outputs: [] }),
        )
        .then(
          () => 'created',
          (error: Error) => error.name,
        );

      expect(outcome).to.equal('ResourceNotFoundException');
    });

    it("runs the adapter's job with ffmpeg, writes every output and notifies PROGRESSING then COMPLETED", async () => {
      const clip = join(dir, 'clip.mp4');
      await generateClip(clip, { seconds: 1, width: 320, height: 240 });
      await s3.client.send(
        new PutObjectCommand({ Bucket: 'uploads', Key: 'in put.mp4', Body: await readFile(clip) }),
      );
      const request = buildCreateJobRequest(
        { videoId: 'AAAAAAAAAAAAAAAAAAAAAA', input: { bucket: 'uploads', key: 'in put.mp4' } },
        PIPELINE,
      );

      const created = await client.send(new CreateJobCommand(request));
      await et.whenIdle();
      const read = await client.send(new ReadJobCommand({ Id: created.Job?.Id }));

      expect(read.Job?.Status).to.equal('Complete');
      expect(published.map((p) => p.message.state)).to.deep.equal(['PROGRESSING', 'COMPLETED']);
      const completed = published[1]?.message as {
        outputs: { key: string; width: number; height: number; status: string }[];
        userMetadata: unknown;
      };
      expect(completed.userMetadata).to.deep.equal({ videoId: 'AAAAAAAAAAAAAAAAAAAAAA' });
      expect(completed.outputs.map((o) => [o.key, o.status, o.width, o.height])).to.deep.equal([
        ['1080p.mp4', 'Complete', 320, 240],
        ['720p.mp4', 'Complete', 320, 240],
        ['web-720p.mp4', 'Complete', 320, 240],
      ]);
    });

    it('ends a job on a corrupt input in ERROR with code 4000, as the service does', async () => {
      await s3.client.send(
        new PutObjectCommand({ Bucket: 'uploads', Key: 'bad.mp4', Body: 'not a video at all' }),
      );

      const created = await client.send(
        new CreateJobCommand(
          buildCreateJobRequest(
            { videoId: 'BBBBBBBBBBBBBBBBBBBBBB', input: { bucket: 'uploads', key: 'bad.mp4' } },
            PIPELINE,
          ),
        ),
      );
      await et.whenIdle();
      const read = await client.send(new ReadJobCommand({ Id: created.Job?.Id }));

      expect(read.Job?.Status).to.equal('Error');
      expect(published.map((p) => p.message.state)).to.deep.equal(['PROGRESSING', 'ERROR']);
      expect(published[1]?.message).to.deep.include({
        errorCode: 4000,
        messageDetails: `4000 ${created.Job?.Id}: Amazon Elastic Transcoder could not interpret the media file.`,
      });
    });

    it('cancels only a Submitted job: it never runs, writes nothing and notifies nothing; a Progressing one keeps running', async () => {
      const clip = join(dir, 'cancel.mp4');
      await generateClip(clip, { seconds: 1, width: 320, height: 240 });
      await s3.client.send(
        new PutObjectCommand({ Bucket: 'uploads', Key: 'cancel.mp4', Body: await readFile(clip) }),
      );
      const ids = ['CCCCCCCCCCCCCCCCCCCCCC', 'DDDDDDDDDDDDDDDDDDDDDD', 'EEEEEEEEEEEEEEEEEEEEEE'];
      const jobs: string[] = [];
      for (const videoId of ids) {
        const created = await client.send(
          new CreateJobCommand(
            buildCreateJobRequest({ videoId, input: { bucket: 'uploads', key: 'cancel.mp4' } }, PIPELINE),
          ),
        );
        jobs.push(created.Job?.Id ?? '');
      }
      // Two run at once; the third waits in the pipeline, Submitted.
      for (let i = 0; i < 500 && published.filter((p) => p.message.state === 'PROGRESSING').length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const transcoder = new ElasticTranscoderTranscoder({ client, pipelineId: PIPELINE });

      const waiting = await transcoder.cancelJob(jobs[2] ?? '');
      const running = await transcoder.cancelJob(jobs[0] ?? '');
      const refusal = await client.send(new CancelJobCommand({ Id: jobs[1] })).then(
        () => 'canceled',
        (error: Error) => error.name,
      );
      await et.whenIdle();

      expect([waiting, running, refusal]).to.deep.equal(['canceled', 'running', 'ResourceInUseException']);
      expect((await client.send(new ReadJobCommand({ Id: jobs[2] }))).Job?.Status).to.equal('Canceled');
      expect((await client.send(new ReadJobCommand({ Id: jobs[0] }))).Job?.Status).to.equal('Complete');
      expect(published.filter((p) => p.message.jobId === jobs[2])).to.deep.equal([]);
      const canceledOutputs = await s3.client.send(
        new ListObjectsV2Command({ Bucket: 'transcoded', Prefix: `videos/${ids[2]}/` }),
      );
      expect(canceledOutputs.Contents ?? []).to.deep.equal([]);
      expect(await transcoder.cancelJob(jobs[0] ?? '')).to.equal('finished');
    });
  });
});
