import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { DEFAULT_BOUNDS, type ReconcileDeps, reconcile, runTime } from '#functions/reconcile-videos/core.ts';
import type { Video } from '#shared/store';
import type { JobState } from '#shared/transcoder';
import { type FakeRepository, fakeLogger, fakeRepository } from '../../support/pipeline-fakes.ts';
import { transcodingVideo } from '../../support/videos.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const OWNER = 'owner-a';
const UPLOADS = 'uploads-bucket';
const KEY = `uploads/${OWNER}/${VIDEO_ID}/clip.mp4`;
const HOUR_AGO = '2026-11-24T11:00:00.000Z';

function stale(overrides: Partial<Video>): Video {
  return transcodingVideo({
    videoId: VIDEO_ID,
    ownerId: OWNER,
    createdAt: HOUR_AGO,
    updatedAt: HOUR_AGO,
    source: { bucket: UPLOADS, key: KEY, filename: 'clip.mp4', size: 4096 },
    transcoder: 'mediaconvert',
    ...overrides,
  });
}

describe('reconcile-videos core', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let s3: AwsClientStub<S3Client>;
  let getJobState: sinon.SinonStub;
  let requestTranscode: sinon.SinonStub;
  let requestDeletion: sinon.SinonStub;
  let deps: ReconcileDeps;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    const client = new S3Client({});
    s3 = mockClient(client);
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    getJobState = sandbox.stub().resolves(undefined);
    requestTranscode = sandbox.stub().resolves();
    requestDeletion = sandbox.stub().resolves();
    deps = {
      repository,
      s3: client,
      bucket: 'transcoded',
      uploadBucket: UPLOADS,
      jobs: { backend: 'mediaconvert', getJobState },
      now: () => NOW,
      logger: fakeLogger(sandbox),
      requestDeletion,
      requestTranscode,
      bounds: DEFAULT_BOUNDS,
    };
  });

  afterEach(() => {
    sandbox.restore();
    s3.restore();
  });

  const listing = (status: string, videos: Video[]) =>
    repository.listCreatedBefore.withArgs(status).resolves({ items: videos });

  describe('what it looks at', () => {
    it('asks for the videos of each status older than its bound, and the tombstones never purged', async () => {
      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({});
      expect(repository.listCreatedBefore.args.map(([status, before]) => [status, before])).to.deep.equal([
        ['TRANSCODING', new Date('2026-11-24T11:45:00.000Z')],
        ['UPLOADED', new Date('2026-11-24T11:30:00.000Z')],
      ]);
      expect(repository.listUnpurgedTombstones.args[0]?.[0]).to.deep.equal(
        new Date('2026-11-24T11:45:00.000Z'),
      );
    });

    it('takes the scheduled event’s time as its clock, the system clock otherwise', () => {
      expect(runTime({ time: '2026-11-24T12:05:00Z' })).to.deep.equal(new Date('2026-11-24T12:05:00Z'));
      expect(runTime({ time: 'soon' }, () => NOW)).to.equal(NOW);
      expect(runTime(undefined, () => NOW)).to.equal(NOW);
    });
  });

  describe('TRANSCODING videos with a job', () => {
    it('leaves a job that is still running alone', async () => {
      // Arrange
      listing('TRANSCODING', [stale({ jobId: 'job-1' })]);
      getJobState.resolves({
        backend: 'mediaconvert',
        jobId: 'job-1',
        videoId: VIDEO_ID,
        state: 'PROGRESSING',
      });

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ running: 1 });
      expect(getJobState.args).to.deep.equal([['job-1']]);
      expect(repository.recordJobCompleted.called).to.equal(false);
    });

    it('applies a completion that never reached the video through the guarded transitions', async () => {
      // Arrange
      const completed: JobState = {
        backend: 'mediaconvert',
        jobId: 'job-1',
        videoId: VIDEO_ID,
        state: 'COMPLETED',
        percent: 100,
      };
      listing('TRANSCODING', [stale({ jobId: 'job-1' })]);
      getJobState.resolves(completed);
      repository.tryMarkReady.resolves(true);

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ ready: 1 });
      expect(repository.recordJobCompleted.args).to.deep.equal([[VIDEO_ID, { jobId: 'job-1' }, NOW]]);
    });

    it('replaces a job the transcoder has no record of, like one it failed', async () => {
      // Arrange
      listing('TRANSCODING', [stale({ jobId: 'job-1' })]);
      repository.get.resolves(stale({ jobId: 'job-1' }));

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ replacing: 1 });
      expect(requestTranscode.args).to.deep.equal([
        [{ kind: 'replace-job', videoId: VIDEO_ID, failedJobId: 'job-1' }],
      ]);
    });

    it('skips a video of the other backend', async () => {
      // Arrange
      listing('TRANSCODING', [stale({ jobId: 'job-1', transcoder: 'elastic-transcoder' })]);

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ skipped: 1 });
      expect(getJobState.called).to.equal(false);
    });
  });

  describe('TRANSCODING videos claimed without a job', () => {
    it('leaves a claim whose invocation may still be running', async () => {
      // Arrange
      listing('TRANSCODING', [
        stale({ jobId: undefined, claimToken: 'r-1', leaseUntil: '2026-11-24T12:00:30.000Z' }),
      ]);

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ running: 1 });
      expect(requestTranscode.called).to.equal(false);
    });

    it('ends the lease of a dead claim, then has transcode-video handle the upload again', async () => {
      // Arrange
      listing('TRANSCODING', [
        stale({ jobId: undefined, claimToken: 'r-1', leaseUntil: '2026-11-24T11:01:00.000Z' }),
      ]);

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ resumed: 1 });
      expect(repository.releaseLease.args).to.deep.equal([[VIDEO_ID, 'r-1']]);
      expect(requestTranscode.args).to.deep.equal([
        [{ kind: 'resume-upload', videoId: VIDEO_ID, bucket: UPLOADS, key: KEY, size: 4096 }],
      ]);
      expect(repository.releaseLease.calledBefore(requestTranscode)).to.equal(true);
    });

    it('resumes nothing when the claim moved on meanwhile (its job got recorded)', async () => {
      // Arrange
      listing('TRANSCODING', [
        stale({ jobId: undefined, claimToken: 'r-1', leaseUntil: '2026-11-24T11:01:00.000Z' }),
      ]);
      repository.releaseLease.resolves(false);

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ running: 1 });
      expect(requestTranscode.called).to.equal(false);
    });
  });

  describe('UPLOADED tickets', () => {
    it('rejects a ticket whose policy expired with nothing under its upload prefix, with a reason', async () => {
      // Arrange
      const ticket = stale({ status: 'UPLOADED', jobId: undefined });
      listing('UPLOADED', [ticket]);

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ expired: 1 });
      expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).to.deep.equal({
        Bucket: UPLOADS,
        Prefix: `uploads/${OWNER}/${VIDEO_ID}/`,
        MaxKeys: 1,
      });
      expect(repository.recordRejected.args).to.deep.equal([
        [
          {
            videoId: VIDEO_ID,
            source: ticket.source,
            errorCode: 'UPLOAD_EXPIRED',
            reason:
              'No file arrived before the upload link expired at 2026-11-24T11:15:00.000Z. Start a new upload.',
            now: NOW,
          },
        ],
      ]);
    });

    it('resumes a ticket whose file arrived but was never claimed', async () => {
      // Arrange
      listing('UPLOADED', [stale({ status: 'UPLOADED', jobId: undefined })]);
      s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: KEY, Size: 999 }] });

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ resumed: 1 });
      expect(requestTranscode.args).to.deep.equal([
        [{ kind: 'resume-upload', videoId: VIDEO_ID, bucket: UPLOADS, key: KEY, size: 999 }],
      ]);
      expect(repository.recordRejected.called).to.equal(false);
    });
  });

  describe('tombstones', () => {
    it('asks delete-video again for a tombstone never purged', async () => {
      // Arrange
      repository.listUnpurgedTombstones.resolves({ items: [stale({ status: 'DELETED', jobId: 'job-1' })] });

      // Act
      const report = await reconcile(NOW, deps);

      // Assert
      expect(report).to.deep.equal({ 'purge-requested': 1 });
      expect(requestDeletion.args).to.deep.equal([
        [{ videoId: VIDEO_ID, jobId: 'job-1', reason: 'unpurged' }],
      ]);
    });
  });

  describe('failures', () => {
    it('tries every video, then rethrows the failures together so Lambda retries the run', async () => {
      // Arrange
      const other = 'Zz3x9ZkT2mB7wLp4sR8yNa';
      listing('TRANSCODING', [stale({ jobId: 'job-1' }), stale({ videoId: other, jobId: 'job-2' })]);
      getJobState.onFirstCall().rejects(new Error('throttled'));
      getJobState
        .onSecondCall()
        .resolves({ backend: 'mediaconvert', jobId: 'job-2', videoId: other, state: 'PROGRESSING' });

      // Act
      const error = await reconcile(NOW, deps).catch((e: unknown) => e);

      // Assert
      expect(error).to.have.property('name', 'RecordBatchError');
      expect(getJobState.args).to.deep.equal([['job-1'], ['job-2']]);
    });
  });
});
