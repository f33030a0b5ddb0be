import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { type ApplyJobStateDeps, applyJobState } from '#shared/jobs';
import type { JobState } from '#shared/transcoder';
import { type FakeRepository, fakeLogger, fakeRepository } from '../../support/pipeline-fakes.ts';
import { transcodingVideo } from '../../support/videos.ts';

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

describe('applyJobState (transcode-status and the reconciler)', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: ApplyJobStateDeps;
  let requestTranscode: sinon.SinonStub;
  let s3: AwsClientStub<S3Client>;
  let requestDeletion: sinon.SinonStub;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID }));
    logger = fakeLogger(sandbox);
    const client = new S3Client({});
    s3 = mockClient(client);
    s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3.on(PutObjectTaggingCommand).resolves({});
    requestDeletion = sandbox.stub().resolves();
    requestTranscode = sandbox.stub().resolves();
    deps = {
      repository,
      s3: client,
      bucket: 'transcoded',
      now: () => NOW,
      logger,
      requestDeletion,
      requestTranscode,
    };
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

    it('tags the poster of a public video visibility=public and records it before recording completion, as delivery serves only tagged objects', async () => {
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
      expect(repository.recordPermission.args).to.deep.equal([
        [VIDEO_ID, 'poster', { key: posterKey, visibility: 'public' }, NOW],
      ]);
    });

    it('leaves the poster of a private video untagged, and records that', async () => {
      // Arrange
      const posterKey = `videos/${VIDEO_ID}/poster.0000000.jpg`;
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, visibility: 'private' }));

      // Act
      await applyJobState(state({ state: 'COMPLETED', posterKey }), deps);

      // Assert
      expect(s3.commandCalls(PutObjectTaggingCommand)).to.deep.equal([]);
      expect(repository.recordPermission.args).to.deep.equal([
        [VIDEO_ID, 'poster', { key: posterKey, visibility: 'private' }, NOW],
      ]);
      expect(repository.recordJobCompleted.calledOnce).to.equal(true);
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

  describe('a job that ends after its video was deleted', () => {
    beforeEach(() => {
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, status: 'DELETED' }));
      repository.recordJobCompleted.resolves(false);
      repository.recordFailed.resolves(false);
    });

    it('asks delete-video to sweep when a completed job finds its video deleted, tagging nothing', async () => {
      // Act
      const outcome = await applyJobState(
        state({ state: 'COMPLETED', posterKey: `videos/${VIDEO_ID}/poster.0000000.jpg` }),
        deps,
      );

      // Assert
      expect(outcome).to.equal('deleted');
      expect(s3.calls()).to.deep.equal([]);
      expect(repository.recordPermission.called).to.equal(false);
      expect(requestDeletion.args).to.deep.equal([
        [{ videoId: VIDEO_ID, jobId: 'job-1', reason: 'late-job' }],
      ]);
    });

    it('asks for a sweep when a completed job without a poster finds its video deleted', async () => {
      // Act
      const outcome = await applyJobState(state({ state: 'COMPLETED' }), deps);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(requestDeletion.calledOnce).to.equal(true);
    });

    for (const ended of ['ERROR', 'CANCELED'] as const) {
      it(`asks for a sweep when a job ends ${ended} for a deleted video`, async () => {
        // Act
        const outcome = await applyJobState(state({ state: ended, errorCode: '1', errorMessage: 'x' }), deps);

        // Assert
        expect(outcome).to.equal('deleted');
        expect(requestDeletion.args).to.deep.equal([
          [{ videoId: VIDEO_ID, jobId: 'job-1', reason: 'late-job' }],
        ]);
      });
    }

    it('asks for no sweep on progress, which writes nothing', async () => {
      // Arrange
      repository.recordProgress.resolves(false);

      // Act
      await applyJobState(state({ state: 'PROGRESSING', percent: 50 }), deps);

      // Assert
      expect(requestDeletion.called).to.equal(false);
    });

    it('asks for no sweep for a duplicate completion of a video that is not deleted', async () => {
      // Arrange
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, status: 'READY' }));

      // Act
      const outcome = await applyJobState(state({ state: 'COMPLETED' }), deps);

      // Assert
      expect(outcome).to.equal('completed');
      expect(requestDeletion.called).to.equal(false);
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

  describe('a failure of the transcoder’s own (internal error, storage unavailable)', () => {
    const internal = (jobId = 'job-1') =>
      state({
        backend: 'mediaconvert',
        jobId,
        state: 'ERROR',
        errorCode: '1999',
        errorMessage: 'Unknown Error',
      });

    it('asks transcode-video for a new job and leaves the video TRANSCODING while attempts remain', async () => {
      // Arrange
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, jobId: 'job-1', jobAttempt: 2 }));

      // Act
      const outcome = await applyJobState(internal(), deps);

      // Assert
      expect(outcome).to.equal('replacing');
      expect(requestTranscode.args).to.deep.equal([
        [{ kind: 'replace-job', videoId: VIDEO_ID, failedJobId: 'job-1' }],
      ]);
      expect(repository.recordFailed.called).to.equal(false);
    });

    it('records a job that failed before transcode-video recorded it, then asks for its replacement', async () => {
      // Arrange
      repository.get.resolves(
        transcodingVideo({ videoId: VIDEO_ID, jobId: undefined, claimToken: 'request-1' }),
      );

      // Act
      const outcome = await applyJobState(internal(), deps);

      // Assert
      expect(outcome).to.equal('replacing');
      expect(repository.recordJobStarted.args).to.deep.equal([[VIDEO_ID, 'job-1', NOW]]);
      expect(requestTranscode.calledOnce).to.equal(true);
    });

    it('changes nothing for the failure of a job that was already replaced', async () => {
      // Arrange
      repository.get.resolves(
        transcodingVideo({ videoId: VIDEO_ID, jobId: 'job-2', jobAttempt: 2, retiredJobIds: ['job-1'] }),
      );

      // Act
      const outcome = await applyJobState(internal('job-1'), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(requestTranscode.called).to.equal(false);
      expect(repository.recordFailed.called).to.equal(false);
    });

    it('marks the video FAILED after the last attempt, with a reason that does not blame the file', async () => {
      // Arrange
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, jobId: 'job-3', jobAttempt: 3 }));

      // Act
      const outcome = await applyJobState(internal('job-3'), deps);

      // Assert
      expect(outcome).to.equal('failed');
      expect(requestTranscode.called).to.equal(false);
      const [, failure] = repository.recordFailed.firstCall.args;
      expect(failure).to.include({ errorCode: '1999', jobId: 'job-3' });
      expect(failure.reason).to.include('MediaConvert failed 3 jobs for reasons of its own');
      expect(failure.reason).to.include('not at fault');
    });

    it('treats an input error as the file’s fault: FAILED at once, no new job', async () => {
      // Arrange
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, jobId: 'job-1' }));

      // Act
      const outcome = await applyJobState(
        state({
          backend: 'mediaconvert',
          state: 'ERROR',
          errorCode: '1010',
          errorMessage: 'Unable to open input',
        }),
        deps,
      );

      // Assert
      expect(outcome).to.equal('failed');
      expect(requestTranscode.called).to.equal(false);
      expect(repository.recordFailed.firstCall.args[1]).to.include({ reason: 'Unable to open input' });
    });
  });

  describe('what a FAILED video wrote', () => {
    it('removes the public tag from every output recorded before the failure', async () => {
      // Arrange
      const rendition = `videos/${VIDEO_ID}/1080p.mp4`;
      repository.get.resolves(
        transcodingVideo({
          videoId: VIDEO_ID,
          status: 'FAILED',
          permissions: { '1080p': { key: rendition, visibility: 'public' } },
        }),
      );
      s3.on(GetObjectTaggingCommand).resolves({
        TagSet: [
          { Key: 'visibility', Value: 'public' },
          { Key: 'team', Value: 'media' },
        ],
      });

      // Act
      await applyJobState(state({ state: 'ERROR', errorCode: '4000', errorMessage: 'bad input' }), deps);

      // Assert
      expect(s3.commandCalls(PutObjectTaggingCommand).map((call) => call.args[0].input)).to.deep.equal([
        { Bucket: 'transcoded', Key: rendition, Tagging: { TagSet: [{ Key: 'team', Value: 'media' }] } },
      ]);
    });
  });
});
