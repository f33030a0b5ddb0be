import {
  CancelJobCommand,
  CreateJobCommand,
  ElasticTranscoderClient,
  ReadJobCommand,
} from '@aws-sdk/client-elastic-transcoder';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  ELASTIC_TRANSCODER_CANNOT_PROBE,
  ElasticTranscoderTranscoder,
  JobStartError,
  parseElasticTranscoderNotification,
  UnrecognizedJobStateError,
} from '#shared/transcoder';
import { loadNotification } from './fixtures.ts';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const PIPELINE_ID = '1763990000000-pipe01';

function awsError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

describe('ElasticTranscoderTranscoder', () => {
  let etMock: AwsClientStub<ElasticTranscoderClient>;
  let transcoder: ElasticTranscoderTranscoder;

  beforeEach(() => {
    const client = new ElasticTranscoderClient({ region: 'us-east-1' });
    // aws-sdk-client-mock bundles its own sinon; handing it this repo's sinon 22 sandbox breaks matching.
    etMock = mockClient(client);
    transcoder = new ElasticTranscoderTranscoder({ client, pipelineId: PIPELINE_ID });
  });

  afterEach(() => {
    etMock.restore();
  });

  describe('startJob', () => {
    it('creates one job with all three renditions under the video prefix and the videoId in the metadata', async () => {
      // Arrange
      etMock.on(CreateJobCommand).resolves({ Job: { Id: '1764000000000-abc123' } });

      // Act
      const jobId = await transcoder.startJob({
        videoId: VIDEO_ID,
        input: { bucket: 'uploads-bucket', key: `uploads/user-1/${VIDEO_ID}/my holiday video.final.mov` },
      });

      // Assert
      expect(jobId).to.equal('1764000000000-abc123');
      const calls = etMock.commandCalls(CreateJobCommand);
      expect(calls).to.have.length(1);
      expect(calls[0]?.args[0].input).to.deep.equal({
        PipelineId: PIPELINE_ID,
        Input: { Key: `uploads/user-1/${VIDEO_ID}/my holiday video.final.mov` },
        OutputKeyPrefix: `videos/${VIDEO_ID}/`,
        Outputs: [
          { Key: '1080p.mp4', PresetId: '1351620000001-000001' },
          { Key: '720p.mp4', PresetId: '1351620000001-000010' },
          { Key: 'web-720p.mp4', PresetId: '1351620000001-100070' },
        ],
        UserMetadata: { videoId: VIDEO_ID },
      });
    });

    it('creates only the renditions of the ladder it is given', async () => {
      // Arrange
      etMock.on(CreateJobCommand).resolves({ Job: { Id: '1764000000000-abc123' } });

      // Act
      await transcoder.startJob({
        videoId: VIDEO_ID,
        input: { bucket: 'uploads-bucket', key: 'a.mp4' },
        renditions: ['720p', 'web-720p'],
      });

      // Assert
      expect(etMock.commandCalls(CreateJobCommand)[0]?.args[0].input.Outputs).to.deep.equal([
        { Key: '720p.mp4', PresetId: '1351620000001-000010' },
        { Key: 'web-720p.mp4', PresetId: '1351620000001-100070' },
      ]);
    });

    it('throws a permanent JobStartError when the request is invalid', async () => {
      // Arrange
      etMock.on(CreateJobCommand).rejects(awsError('ValidationException', 400));

      // Act
      const error = await transcoder
        .startJob({ videoId: VIDEO_ID, input: { bucket: 'b', key: 'k.mov' } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).permanent).to.equal(true);
      expect((error as JobStartError).code).to.equal('ValidationException');
      expect((error as JobStartError).message)
        .to.include(VIDEO_ID)
        .and.include('ValidationException happened');
      expect((error as JobStartError).cause).to.have.property('name', 'ValidationException');
    });

    it('throws a transient JobStartError when Elastic Transcoder throttles', async () => {
      // Arrange
      etMock
        .on(CreateJobCommand)
        .rejects(awsError('ThrottlingException', 400, { $retryable: { throttling: true } }));

      // Act
      const error = await transcoder
        .startJob({ videoId: VIDEO_ID, input: { bucket: 'b', key: 'k.mov' } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).permanent).to.equal(false);
    });

    it('throws a transient JobStartError when the response has no job id', async () => {
      // Arrange
      etMock.on(CreateJobCommand).resolves({});

      // Act
      const error = await transcoder
        .startJob({ videoId: VIDEO_ID, input: { bucket: 'b', key: 'k.mov' } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).message).to.include('no job id');
    });
  });

  describe('probeSource', () => {
    it('reads nothing and says why: Elastic Transcoder has no probe before a job', async () => {
      const probed = await transcoder.probeSource();

      expect(probed).to.deep.equal({ unknown: ELASTIC_TRANSCODER_CANNOT_PROBE });
      expect(ELASTIC_TRANSCODER_CANNOT_PROBE).to.match(/no probe/);
      expect(etMock.calls()).to.have.length(0);
    });
  });

  describe('cancelJob', () => {
    it('cancels a Submitted job', async () => {
      etMock.on(CancelJobCommand).resolves({});

      expect(await transcoder.cancelJob('job-1')).to.equal('canceled');
      expect(etMock.commandCalls(CancelJobCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Id: 'job-1' },
      ]);
      expect(etMock.commandCalls(ReadJobCommand)).to.have.length(0);
    });

    for (const [status, outcome] of [
      ['Progressing', 'running'],
      ['Complete', 'finished'],
      ['Error', 'finished'],
      ['Canceled', 'canceled'],
    ] as const) {
      it(`reads a job it cannot cancel: ${status} is ${outcome}`, async () => {
        etMock.on(CancelJobCommand).rejects(awsError('ResourceInUseException', 409));
        etMock.on(ReadJobCommand).resolves({ Job: { Id: 'job-1', Status: status } });

        expect(await transcoder.cancelJob('job-1')).to.equal(outcome);
        expect(etMock.commandCalls(ReadJobCommand).map((c) => c.args[0].input)).to.deep.equal([
          { Id: 'job-1' },
        ]);
      });
    }

    it('treats an unknown job as finished: it writes nothing', async () => {
      etMock.on(CancelJobCommand).rejects(awsError('ResourceNotFoundException', 404));

      expect(await transcoder.cancelJob('job-1')).to.equal('finished');
    });

    it('rethrows any other failure, such as throttling, for a retry', async () => {
      const throttled = awsError('ThrottlingException', 429);
      etMock.on(CancelJobCommand).rejects(throttled);

      expect(await transcoder.cancelJob('job-1').catch((e: unknown) => e)).to.equal(throttled);
    });
  });

  describe('getJobState', () => {
    it('reads a failed job with the code its failed output names', async () => {
      etMock.on(ReadJobCommand).resolves({
        Job: {
          Id: 'job-1',
          Status: 'Error',
          UserMetadata: { videoId: VIDEO_ID },
          Outputs: [{ Status: 'Error', StatusDetail: '9000 job-1: Internal Service Error' }],
        },
      });

      expect(await transcoder.getJobState('job-1')).to.deep.equal({
        backend: 'elastic-transcoder',
        jobId: 'job-1',
        videoId: VIDEO_ID,
        state: 'ERROR',
        errorCode: '9000',
        errorMessage: '9000 job-1: Internal Service Error',
      });
    });

    it('reads Complete, Canceled and Progressing jobs, and no job as undefined', async () => {
      const job = (Status: string) => ({ Job: { Id: 'job-1', Status, UserMetadata: { videoId: VIDEO_ID } } });
      etMock
        .on(ReadJobCommand)
        .resolvesOnce(job('Complete'))
        .resolvesOnce(job('Canceled'))
        .resolvesOnce(job('Progressing'))
        .rejectsOnce(awsError('ResourceNotFoundException', 404));

      const states = [
        (await transcoder.getJobState('job-1'))?.state,
        (await transcoder.getJobState('job-1'))?.state,
        (await transcoder.getJobState('job-1'))?.state,
        await transcoder.getJobState('job-1'),
      ];

      expect(states).to.deep.equal(['COMPLETED', 'CANCELED', 'PROGRESSING', undefined]);
    });

    it('refuses a job that carries no videoId: not one of this system', async () => {
      etMock.on(ReadJobCommand).resolves({ Job: { Id: 'job-1', Status: 'Complete' } });

      expect(await transcoder.getJobState('job-1').catch((e: unknown) => e)).to.be.instanceOf(
        UnrecognizedJobStateError,
      );
    });
  });
});

describe('parseElasticTranscoderNotification', () => {
  describe('job states', () => {
    it('parses a COMPLETED notification with every output, its full key, size and duration', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-completed');

      // Act
      const state = parseElasticTranscoderNotification(JSON.stringify(message));

      // Assert
      expect(state).to.deep.equal({
        backend: 'elastic-transcoder',
        jobId: '1764000000000-abc123',
        videoId: VIDEO_ID,
        state: 'COMPLETED',
        percent: 100,
        outputs: [
          {
            rendition: '1080p',
            key: `videos/${VIDEO_ID}/1080p.mp4`,
            width: 1920,
            height: 1080,
            durationSeconds: 12,
          },
          {
            rendition: '720p',
            key: `videos/${VIDEO_ID}/720p.mp4`,
            width: 1280,
            height: 720,
            durationSeconds: 12,
          },
          {
            rendition: 'web-720p',
            key: `videos/${VIDEO_ID}/web-720p.mp4`,
            width: 1280,
            height: 720,
            durationSeconds: 12,
          },
        ],
      });
    });

    it('parses a PROGRESSING notification without progress figures', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-progressing');

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.state).to.equal('PROGRESSING');
      expect(state.percent).to.equal(undefined);
      expect(state.outputs?.map((o) => o.rendition)).to.deep.equal(['1080p', '720p', 'web-720p']);
    });

    it('treats a WARNING as a job still in progress', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-warning');

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.state).to.equal('PROGRESSING');
    });

    it('carries the error code and message of an ERROR notification', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-error');

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.state).to.equal('ERROR');
      expect(state.errorCode).to.equal('4000');
      expect(state.errorMessage).to.equal(
        '4000 b2f4a1c0-0000-4000-8000-000000000000: Amazon Elastic Transcoder could not interpret the media file.',
      );
    });

    it('falls back to the failed output detail when the ERROR has no job-level message', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-error');
      delete message.errorCode;
      delete message.messageDetails;
      const outputs = message.outputs as Record<string, unknown>[];
      outputs[0] = { ...outputs[0], errorCode: 3002, statusDetail: '3002: the object already exists' };

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.errorCode).to.equal('3002');
      expect(state.errorMessage).to.equal('3002: the object already exists');
    });

    it('finds the rendition from the key when the preset is not one of ours', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-completed');
      const outputs = message.outputs as Record<string, unknown>[];
      outputs[1] = { ...outputs[1], presetId: '1351620000001-999999' };

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.outputs?.[1]?.rendition).to.equal('720p');
    });
  });

  describe('bad input', () => {
    it('rejects a message that is not JSON', () => {
      expect(() => parseElasticTranscoderNotification('not json')).to.throw(
        UnrecognizedJobStateError,
        /must be JSON/,
      );
    });

    it('rejects an unknown state', () => {
      // Arrange
      const message = { ...loadNotification('elastic-transcoder-completed'), state: 'DONE' };

      // Act / Assert
      expect(() => parseElasticTranscoderNotification(message)).to.throw(UnrecognizedJobStateError, /"DONE"/);
    });

    it('rejects a job without a jobId', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-completed');
      delete message.jobId;

      // Act / Assert
      expect(() => parseElasticTranscoderNotification(message)).to.throw(
        UnrecognizedJobStateError,
        /no jobId/,
      );
    });

    it('rejects a job that carries no videoId, naming the job', () => {
      // Arrange
      const message = { ...loadNotification('elastic-transcoder-completed'), userMetadata: {} };

      // Act / Assert
      expect(() => parseElasticTranscoderNotification(message)).to.throw(
        UnrecognizedJobStateError,
        /1764000000000-abc123 carries no valid videoId/,
      );
    });
  });
});
