import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import type { JobState } from '#shared/transcoder';
import { applyJobState, type TranscodeStatusDeps } from '../../../functions/transcode-status/core.ts';
import { type FakeRepository, fakeLogger, fakeRepository } from '../../support/pipeline-fakes.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

function state(overrides: Partial<JobState>): JobState {
  return {
    backend: 'elastic-transcoder',
    jobId: 'job-1',
    videoId: VIDEO_ID,
    state: 'PROGRESSING',
    ...overrides,
  };
}

describe('transcode-status core', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: TranscodeStatusDeps;
  let s3: AwsClientStub<S3Client>;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    logger = fakeLogger(sandbox);
    const client = new S3Client({});
    s3 = mockClient(client);
    s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3.on(PutObjectTaggingCommand).resolves({});
    deps = { repository, s3: client, bucket: 'transcoded', now: () => NOW, logger };
  });

  afterEach(() => {
    sandbox.restore();
    s3.restore();
  });

  describe('progress', () => {
    it('records the percentage the transcoder reported', async () => {
      // Act
      const outcome = await applyJobState(state({ state: 'PROGRESSING', percent: 42 }), deps);

      // Assert
      expect(outcome).to.equal('progress');
      expect(repository.recordProgress.args).to.deep.equal([[VIDEO_ID, 42, NOW]]);
    });

    it('records 0% when the transcoder reports none', async () => {
      // Act
      await applyJobState(state({ state: 'PROGRESSING' }), deps);

      // Assert
      expect(repository.recordProgress.args).to.deep.equal([[VIDEO_ID, 0, NOW]]);
    });
  });

  describe('completion', () => {
    it('records the job complete, then tries READY', async () => {
      // Act
      const outcome = await applyJobState(state({ state: 'COMPLETED', percent: 100 }), deps);

      // Assert
      expect(outcome).to.equal('completed');
      expect(repository.recordJobCompleted.args).to.deep.equal([[VIDEO_ID, { jobId: 'job-1' }, NOW]]);
      expect(repository.tryMarkReady.args).to.deep.equal([[VIDEO_ID, NOW]]);
      expect(repository.recordJobCompleted.calledBefore(repository.tryMarkReady)).to.equal(true);
    });

    it('passes the poster key when the transcoder captured one', async () => {
      // Arrange
      const posterKey = `videos/${VIDEO_ID}/poster.0000000.jpg`;

      // Act
      await applyJobState(state({ state: 'COMPLETED', posterKey }), deps);

      // Assert
      expect(repository.recordJobCompleted.args).to.deep.equal([
        [VIDEO_ID, { jobId: 'job-1', posterKey }, NOW],
      ]);
    });

    it('tags the poster visibility=public before recording completion, as delivery serves only tagged objects', async () => {
      // Arrange
      const posterKey = `videos/${VIDEO_ID}/poster.0000000.jpg`;
      let tagsWrittenAtCompletion = -1;
      repository.recordJobCompleted.callsFake(async () => {
        tagsWrittenAtCompletion = s3.commandCalls(PutObjectTaggingCommand).length;
        return true;
      });

      // Act
      await applyJobState(state({ state: 'COMPLETED', posterKey }), deps);

      // Assert
      expect(s3.commandCalls(PutObjectTaggingCommand).map((call) => call.args[0].input)).to.deep.equal([
        {
          Bucket: 'transcoded',
          Key: posterKey,
          Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] },
        },
      ]);
      expect(tagsWrittenAtCompletion).to.equal(1);
    });

    it('reports ready when completion was the last fact', async () => {
      // Arrange
      repository.tryMarkReady.resolves(true);

      // Act
      const outcome = await applyJobState(state({ state: 'COMPLETED' }), deps);

      // Assert
      expect(outcome).to.equal('ready');
    });
  });

  describe('errors', () => {
    it('logs the failure with the videoId and job id and rethrows it, so Lambda retries', async () => {
      // Arrange
      const throttled = Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
      });
      repository.recordJobCompleted.rejects(throttled);

      // Act
      const error = await applyJobState(state({ state: 'COMPLETED' }), deps).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.equal(throttled);
      expect(repository.tryMarkReady.called).to.equal(false);
      expect(
        logger.error.calledOnceWith(
          sinon.match.string,
          sinon.match({ videoId: VIDEO_ID, jobId: 'job-1', error: throttled }),
        ),
      ).to.equal(true);
    });
  });

  describe('failure', () => {
    it('marks the video FAILED with the transcoder’s code and message', async () => {
      // Act
      const outcome = await applyJobState(
        state({
          state: 'ERROR',
          errorCode: '4000',
          errorMessage: '4000: could not interpret the media file.',
        }),
        deps,
      );

      // Assert
      expect(outcome).to.equal('failed');
      expect(repository.recordFailed.args).to.deep.equal([
        [
          VIDEO_ID,
          { errorCode: '4000', reason: '4000: could not interpret the media file.', jobId: 'job-1' },
          NOW,
        ],
      ]);
      expect(repository.tryMarkReady.called).to.equal(false);
      expect(logger.error.firstCall.args[1]).to.include({ videoId: VIDEO_ID, errorCode: '4000' });
    });

    it('marks a canceled job FAILED with a readable reason', async () => {
      // Act
      await applyJobState(state({ state: 'CANCELED' }), deps);

      // Assert
      expect(repository.recordFailed.args).to.deep.equal([
        [
          VIDEO_ID,
          { errorCode: 'CANCELED', reason: 'The transcoding job was canceled.', jobId: 'job-1' },
          NOW,
        ],
      ]);
    });
  });
});
