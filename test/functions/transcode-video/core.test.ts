import { expect } from 'chai';
import sinon from 'sinon';
import {
  handleTranscodeRequest,
  type TranscodeVideoDeps,
  transcodeUpload,
} from '#functions/transcode-video/core.ts';
import { JobStartError, type SourceProbe } from '#shared/transcoder';
import { videoIdForUpload } from '#shared/video';
import {
  type FakeRepository,
  fakeLogger,
  fakeRepository,
  INVOCATION,
  s3Object,
} from '../../support/pipeline-fakes.ts';
import { transcodingVideo } from '../../support/videos.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const BUCKET = 'uploads-bucket';
const KEY = `uploads/user-1/${VIDEO_ID}/my holiday videoé + more.final.mov`;
const MAX = 5_000_000;
const INPUT = { bucket: BUCKET, key: KEY };
/** A 320×240 phone clip, as a backend's probe reports it: only web-720p adds anything. */
const PROBED: SourceProbe = { picture: { width: 320, height: 240, bitRate: 600_000 }, hasAudio: true };
const FULL = ['1080p', '720p', 'web-720p'];

describe('transcode-video core', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let startJob: sinon.SinonStub;
  let probeSource: sinon.SinonStub;
  let cancelJob: sinon.SinonStub;
  let requestDeletion: sinon.SinonStub;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: TranscodeVideoDeps;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    startJob = sandbox.stub().resolves('job-1');
    probeSource = sandbox.stub().resolves(PROBED);
    cancelJob = sandbox.stub().resolves('canceled');
    requestDeletion = sandbox.stub().resolves();
    logger = fakeLogger(sandbox);
    deps = {
      repository,
      transcoder: {
        backend: 'elastic-transcoder',
        probeSource,
        startJob,
        cancelJob,
        getJobState: sandbox.stub(),
      },
      maxUploadBytes: MAX,
      renditionLadder: 'source',
      now: () => NOW,
      logger,
      requestDeletion,
    };
  });

  afterEach(() => sandbox.restore());

  describe('accepted uploads', () => {
    it('claims the video, starts one job and records it when the upload is new', async () => {
      // Arrange
      const upload = s3Object(BUCKET, KEY, { size: 4096 });

      // Act
      const outcome = await transcodeUpload(upload, deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('started');
      expect(repository.claim.args).to.deep.equal([
        [
          {
            videoId: VIDEO_ID,
            source: { bucket: BUCKET, key: KEY, filename: 'my holiday videoé + more.final.mov', size: 4096 },
            transcoder: 'elastic-transcoder',
            now: NOW,
            holder: { token: 'request-1', leaseUntil: new Date('2026-11-24T12:15:05.000Z') },
          },
        ],
      ]);
      expect(probeSource.args).to.deep.equal([[{ videoId: VIDEO_ID, input: INPUT }]]);
      expect(repository.recordLadder.args).to.deep.equal([[VIDEO_ID, 'request-1', ['web-720p'], NOW]]);
      expect(startJob.args).to.deep.equal([
        [{ videoId: VIDEO_ID, input: INPUT, renditions: ['web-720p'], source: PROBED }],
      ]);
      expect(repository.recordLadder.calledBefore(startJob)).to.equal(true);
      expect(repository.recordJobStarted.args).to.deep.equal([[VIDEO_ID, 'job-1', NOW]]);
      expect(repository.recordRejected.called).to.equal(false);
    });

    it('derives a stable id from bucket, key and version when the key was not issued by the API', async () => {
      // Arrange
      const upload = s3Object(BUCKET, 'dropbox/a.b.c.mp4', { versionId: 'v1' });
      const expectedId = videoIdForUpload({ bucket: BUCKET, key: 'dropbox/a.b.c.mp4', versionId: 'v1' });

      // Act
      await transcodeUpload(upload, deps, INVOCATION);

      // Assert
      expect(repository.claim.firstCall.args[0]).to.include({ videoId: expectedId });
      expect(repository.claim.firstCall.args[0].source).to.include({
        filename: 'a.b.c.mp4',
        versionId: 'v1',
      });
    });

    it('starts nothing when the claim is already taken (a duplicate event)', async () => {
      // Arrange
      repository.claim.resolves(undefined);

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('duplicate');
      expect(startJob.called).to.equal(false);
      expect(repository.recordJobStarted.called).to.equal(false);
      expect(requestDeletion.called).to.equal(false);
    });

    it('logs the videoId with every line', async () => {
      // Act
      await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      const lines = [...logger.info.args, ...logger.warn.args, ...logger.error.args];
      expect(lines).to.not.be.empty;
      for (const [, attributes] of lines) expect(attributes).to.include({ videoId: VIDEO_ID });
    });
  });

  describe('uploads and jobs of a deleted video', () => {
    const deleted = () => transcodingVideo({ videoId: VIDEO_ID, status: 'DELETED' });

    it('starts nothing and asks for a sweep when the upload arrives after the video was deleted', async () => {
      // Arrange
      repository.claim.resolves(undefined);
      repository.get.resolves(deleted());

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(startJob.called).to.equal(false);
      expect(requestDeletion.args).to.deep.equal([[{ videoId: VIDEO_ID, reason: 'late-upload' }]]);
    });

    it('asks for a sweep when a rejected upload belongs to a deleted video', async () => {
      // Arrange
      repository.recordRejected.resolves(false);
      repository.get.resolves(deleted());

      // Act
      const outcome = await transcodeUpload(
        s3Object(BUCKET, `uploads/user-1/${VIDEO_ID}/notes.txt`),
        deps,
        INVOCATION,
      );

      // Assert
      expect(outcome).to.equal('deleted');
      expect(requestDeletion.calledOnce).to.equal(true);
    });

    it('cancels the job it just started and asks for a sweep with the job when the video was deleted meanwhile', async () => {
      // Arrange
      repository.recordJobStarted.resolves(false);
      repository.get.resolves(deleted());

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(cancelJob.args).to.deep.equal([['job-1']]);
      expect(requestDeletion.args).to.deep.equal([
        [{ videoId: VIDEO_ID, jobId: 'job-1', reason: 'late-upload' }],
      ]);
      expect(cancelJob.calledBefore(requestDeletion)).to.equal(true);
    });

    it('still asks for the sweep when the cancel fails here (delete-video cancels again)', async () => {
      // Arrange
      repository.recordJobStarted.resolves(false);
      repository.get.resolves(deleted());
      cancelJob.rejects(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(requestDeletion.args[0]?.[0]).to.deep.include({ jobId: 'job-1' });
      expect(
        logger.error.calledWithMatch(sinon.match.string, { videoId: VIDEO_ID, jobId: 'job-1' }),
      ).to.equal(true);
    });

    it('cancels nothing when the job record failed for a video that is not deleted', async () => {
      // Arrange
      repository.recordJobStarted.resolves(false);
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, status: 'READY' }));

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('started');
      expect(cancelJob.called).to.equal(false);
      expect(requestDeletion.called).to.equal(false);
    });
  });

  describe('rejected uploads', () => {
    const cases: Array<[string, string, number, string]> = [
      ['a file of the wrong type', `uploads/user-1/${VIDEO_ID}/notes.txt`, 100, 'UNSUPPORTED_TYPE'],
      ['an empty file', KEY, 0, 'EMPTY_FILE'],
      ['a file over the maximum size', KEY, MAX + 1, 'TOO_LARGE'],
    ];
    for (const [what, key, size, code] of cases) {
      it(`records ${what} as rejected with the reason and starts no job`, async () => {
        // Arrange
        const upload = s3Object(BUCKET, key, { size });

        // Act
        const outcome = await transcodeUpload(upload, deps, INVOCATION);

        // Assert
        expect(outcome).to.equal('rejected');
        expect(repository.recordRejected.calledOnce).to.equal(true);
        const input = repository.recordRejected.firstCall.args[0];
        expect(input).to.include({ videoId: VIDEO_ID, errorCode: code, now: NOW });
        expect(input.source).to.deep.equal({ bucket: BUCKET, key, filename: key.split('/').pop(), size });
        expect(input.reason).to.be.a('string').and.include(key.split('/').pop());
        expect(repository.claim.called).to.equal(false);
        expect(startJob.called).to.equal(false);
      });
    }

    it('accepts a file of exactly the maximum size', async () => {
      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY, { size: MAX }), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('started');
    });
  });

  describe('start failures', () => {
    it('keeps the claim and rethrows when the start failure is transient, so the retry resumes it', async () => {
      // Arrange
      const failure = new JobStartError('throttled', {
        cause: new Error('x'),
        code: 'ThrottlingException',
        permanent: false,
      });
      startJob.rejects(failure);

      // Act
      const error = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.equal(failure);
      expect(repository.releaseLease.called).to.equal(false);
      expect(repository.recordFailed.called).to.equal(false);
      expect(repository.recordJobStarted.called).to.equal(false);
    });

    it('rethrows an unexpected error, logged with the videoId', async () => {
      // Arrange
      startJob.rejects(new TypeError('boom'));

      // Act
      const error = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.be.instanceOf(TypeError);
      expect(
        logger.error.calledOnceWith(sinon.match.string, sinon.match({ videoId: VIDEO_ID, error })),
      ).to.equal(true);
    });

    it('marks the video FAILED with the code and reason when the start failure is permanent', async () => {
      // Arrange
      startJob.rejects(
        new JobStartError('pipeline not found', {
          cause: new Error('x'),
          code: 'ResourceNotFoundException',
          permanent: true,
        }),
      );

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('failed');
      expect(repository.recordFailed.args).to.deep.equal([
        [VIDEO_ID, { errorCode: 'ResourceNotFoundException', reason: 'pipeline not found' }, NOW],
      ]);
    });
  });

  describe('claims without a job', () => {
    it('starts the job of a claim its own earlier attempt made (a retry after a crash), with the attempt', async () => {
      // Arrange
      repository.claim.resolves({ kind: 'resumed', attempt: 2 });

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('started');
      expect(startJob.args).to.deep.equal([
        [{ videoId: VIDEO_ID, input: INPUT, attempt: 2, renditions: FULL }],
      ]);
      expect(repository.recordJobStarted.args).to.deep.equal([[VIDEO_ID, 'job-1', NOW]]);
    });

    it('keeps the ladder an earlier attempt recorded, without probing again', async () => {
      // Arrange
      repository.claim.resolves({ kind: 'taken-over', attempt: 1, renditions: ['720p', 'web-720p'] });

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('started');
      expect(probeSource.called).to.equal(false);
      expect(repository.recordLadder.called).to.equal(false);
      expect(startJob.args).to.deep.equal([
        [{ videoId: VIDEO_ID, input: INPUT, renditions: ['720p', 'web-720p'] }],
      ]);
    });
  });

  describe('the rendition ladder', () => {
    it('makes every rendition of a 1080p source', async () => {
      // Arrange
      const probed: SourceProbe = { picture: { width: 1920, height: 1080, bitRate: 6_000_000 } };
      probeSource.resolves(probed);

      // Act
      await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(repository.recordLadder.args).to.deep.equal([[VIDEO_ID, 'request-1', FULL, NOW]]);
      expect(startJob.args).to.deep.equal([
        [{ videoId: VIDEO_ID, input: INPUT, renditions: FULL, source: probed }],
      ]);
    });

    it('makes every rendition, and logs why, when the backend cannot read the source before its job', async () => {
      // Arrange
      const probed: SourceProbe = { unknown: 'Elastic Transcoder reads nothing of a source before its job' };
      probeSource.resolves(probed);

      // Act
      await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(repository.recordLadder.args).to.deep.equal([[VIDEO_ID, 'request-1', FULL, NOW]]);
      expect(startJob.firstCall.args[0]).to.deep.include({ renditions: FULL, source: probed });
      expect(
        logger.info.calledWith(
          'Every rendition, because Elastic Transcoder reads nothing of a source before its job',
          sinon.match({ videoId: VIDEO_ID, renditions: FULL }),
        ),
      ).to.equal(true);
    });

    it('makes every rendition, and logs why, when the probe reports no size', async () => {
      // Arrange
      probeSource.resolves({ picture: { width: 0, height: 0 }, hasAudio: true });

      // Act
      await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(repository.recordLadder.firstCall.args[2]).to.deep.equal(FULL);
      expect(
        logger.info.calledWith(sinon.match(/^Every rendition, because the source's size is unknown/)),
      ).to.equal(true);
    });

    it('makes every rendition without probing when RENDITION_LADDER is full', async () => {
      // Act
      await transcodeUpload(s3Object(BUCKET, KEY), { ...deps, renditionLadder: 'full' }, INVOCATION);

      // Assert
      expect(probeSource.called).to.equal(false);
      expect(repository.recordLadder.args).to.deep.equal([[VIDEO_ID, 'request-1', FULL, NOW]]);
      expect(startJob.args).to.deep.equal([[{ videoId: VIDEO_ID, input: INPUT, renditions: FULL }]]);
    });

    it('starts the job with the ladder the item holds when another was recorded first', async () => {
      // Arrange
      repository.recordLadder.resolves(['720p', 'web-720p']);

      // Act
      await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(startJob.firstCall.args[0]).to.deep.include({ renditions: ['720p', 'web-720p'] });
    });

    it('starts nothing when the claim was lost before the ladder was recorded', async () => {
      // Arrange
      repository.recordLadder.resolves(undefined);

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('duplicate');
      expect(startJob.called).to.equal(false);
      expect(requestDeletion.called).to.equal(false);
    });

    it('asks for a sweep when the video was deleted before the ladder was recorded', async () => {
      // Arrange
      repository.recordLadder.resolves(undefined);
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, status: 'DELETED' }));

      // Act
      const outcome = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(startJob.called).to.equal(false);
      expect(requestDeletion.args).to.deep.equal([[{ videoId: VIDEO_ID, reason: 'late-upload' }]]);
    });

    it('keeps the claim and rethrows when the probe fails for a transient reason, recording no ladder', async () => {
      // Arrange
      const failure = new JobStartError('throttled', {
        cause: new Error('429'),
        code: 'Throttled',
        permanent: false,
      });
      probeSource.rejects(failure);

      // Act
      const error = await transcodeUpload(s3Object(BUCKET, KEY), deps, INVOCATION).catch((e: unknown) => e);

      // Assert
      expect(error).to.equal(failure);
      expect(repository.recordLadder.called).to.equal(false);
      expect(startJob.called).to.equal(false);
      expect(repository.recordFailed.called).to.equal(false);
    });
  });

  describe('requests of other functions', () => {
    it('replaces a failed job on the same claim: the next attempt, started from the recorded upload', async () => {
      // Arrange
      repository.retryJob.resolves({ kind: 'new', attempt: 2 });
      repository.get.resolves(
        transcodingVideo({ videoId: VIDEO_ID, source: { bucket: BUCKET, key: KEY, filename: 'x.mov' } }),
      );

      // Act
      const outcome = await handleTranscodeRequest(
        { kind: 'replace-job', videoId: VIDEO_ID, failedJobId: 'job-0' },
        deps,
        INVOCATION,
      );

      // Assert
      expect(outcome).to.equal('started');
      expect(repository.retryJob.args).to.deep.equal([
        [
          {
            videoId: VIDEO_ID,
            failedJobId: 'job-0',
            holder: { token: 'request-1', leaseUntil: new Date('2026-11-24T12:15:05.000Z') },
            maxAttempts: 3,
            now: NOW,
          },
        ],
      ]);
      expect(startJob.args).to.deep.equal([
        [{ videoId: VIDEO_ID, input: INPUT, attempt: 2, renditions: FULL }],
      ]);
      expect(probeSource.called).to.equal(false);
      expect(repository.recordJobStarted.args).to.deep.equal([[VIDEO_ID, 'job-1', NOW]]);
    });

    it('gives the replacement job the ladder of the job it replaces', async () => {
      // Arrange
      repository.retryJob.resolves({ kind: 'new', attempt: 2, renditions: ['web-720p'] });
      repository.get.resolves(
        transcodingVideo({ videoId: VIDEO_ID, source: { bucket: BUCKET, key: KEY, filename: 'x.mov' } }),
      );

      // Act
      await handleTranscodeRequest(
        { kind: 'replace-job', videoId: VIDEO_ID, failedJobId: 'job-0' },
        deps,
        INVOCATION,
      );

      // Assert
      expect(probeSource.called).to.equal(false);
      expect(repository.recordLadder.called).to.equal(false);
      expect(startJob.args).to.deep.equal([
        [{ videoId: VIDEO_ID, input: INPUT, attempt: 2, renditions: ['web-720p'] }],
      ]);
    });

    it('starts nothing when the failed job was already replaced (a duplicate request)', async () => {
      // Act
      const outcome = await handleTranscodeRequest(
        { kind: 'replace-job', videoId: VIDEO_ID, failedJobId: 'job-0' },
        deps,
        INVOCATION,
      );

      // Assert
      expect(outcome).to.equal('duplicate');
      expect(startJob.called).to.equal(false);
    });

    it('handles a resumed upload as its own event would: claim, then one job', async () => {
      // Act
      const outcome = await handleTranscodeRequest(
        { kind: 'resume-upload', videoId: VIDEO_ID, bucket: BUCKET, key: KEY, size: 4096 },
        deps,
        INVOCATION,
      );

      // Assert
      expect(outcome).to.equal('started');
      expect(repository.claim.firstCall.args[0]).to.deep.include({ videoId: VIDEO_ID });
      expect(repository.claim.firstCall.args[0].source).to.include({ bucket: BUCKET, key: KEY, size: 4096 });
      expect(startJob.calledOnce).to.equal(true);
    });

    it('refuses a resumed upload that names the upload of another video', async () => {
      // Act
      const error = await handleTranscodeRequest(
        {
          kind: 'resume-upload',
          videoId: VIDEO_ID,
          bucket: BUCKET,
          key: 'uploads/u/AAAAAAAAAAAAAAAAAAAAAA/x.mp4',
          size: 1,
        },
        deps,
        INVOCATION,
      ).catch((e: unknown) => e);

      // Assert
      expect(error).to.have.property('name', 'InvalidTranscodeRequestError');
      expect(repository.claim.called).to.equal(false);
    });
  });

  describe('other events', () => {
    it('ignores an event that is not a creation', async () => {
      // Act
      const outcome = await transcodeUpload(
        s3Object(BUCKET, KEY, { eventName: 'ObjectRemoved:Delete' }),
        deps,
        INVOCATION,
      );

      // Assert
      expect(outcome).to.equal('ignored');
      expect(repository.claim.called).to.equal(false);
      expect(repository.recordRejected.called).to.equal(false);
    });
  });
});
