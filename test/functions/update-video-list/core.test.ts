import { expect } from 'chai';
import sinon from 'sinon';
import { recordFinishedRendition, type UpdateVideoListDeps } from '#functions/update-video-list/core.ts';
import { type FakeRepository, fakeLogger, fakeRepository, s3Object } from '../../support/pipeline-fakes.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const BUCKET = 'transcoded-bucket';

describe('update-video-list core', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: UpdateVideoListDeps;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    logger = fakeLogger(sandbox);
    deps = { repository, now: () => NOW, logger };
  });

  afterEach(() => sandbox.restore());

  describe('renditions', () => {
    it('records the rendition with its key, then tries READY', async () => {
      // Arrange
      const key = `videos/${VIDEO_ID}/1080p.mp4`;

      // Act
      const outcome = await recordFinishedRendition(s3Object(BUCKET, key), deps);

      // Assert
      expect(outcome).to.equal('recorded');
      expect(repository.recordRendition.args).to.deep.equal([[VIDEO_ID, '1080p', key, NOW]]);
      expect(repository.tryMarkReady.args).to.deep.equal([[VIDEO_ID, NOW]]);
      expect(repository.recordRendition.calledBefore(repository.tryMarkReady)).to.equal(true);
      expect(repository.get.called, 'one conditional write decides, no read').to.equal(false);
      expect(logger.info.firstCall.args[1]).to.include({ videoId: VIDEO_ID, rendition: '1080p' });
    });

    it('logs the failure with the videoId and rethrows it, so Lambda retries', async () => {
      // Arrange
      const throttled = Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
      });
      repository.recordRendition.rejects(throttled);

      // Act
      const error = await recordFinishedRendition(s3Object(BUCKET, `videos/${VIDEO_ID}/720p.mp4`), deps).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.equal(throttled);
      expect(repository.tryMarkReady.called).to.equal(false);
      expect(
        logger.error.calledOnceWith(
          sinon.match.string,
          sinon.match({ videoId: VIDEO_ID, rendition: '720p', error: throttled }),
        ),
      ).to.equal(true);
    });

    it('ignores and logs a rendition the repository refused (outside the ladder), reading nothing', async () => {
      // Arrange
      repository.recordRendition.resolves(false);

      // Act
      const outcome = await recordFinishedRendition(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(repository.get.called, 'one conditional write decides, no read').to.equal(false);
      expect(
        logger.warn.calledOnceWith(
          sinon.match(/outside the video’s ladder/),
          sinon.match({ videoId: VIDEO_ID, rendition: '1080p' }),
        ),
      ).to.equal(true);
      expect(logger.info.called).to.equal(false);
    });

    it('still tries READY when the rendition was refused (a retry after a crash between the writes)', async () => {
      // Arrange
      repository.recordRendition.resolves(false);
      repository.tryMarkReady.resolves(true);

      // Act
      const outcome = await recordFinishedRendition(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ready');
      expect(repository.tryMarkReady.args).to.deep.equal([[VIDEO_ID, NOW]]);
    });

    it('reports ready when its fact completed the set', async () => {
      // Arrange
      repository.tryMarkReady.resolves(true);

      // Act
      const outcome = await recordFinishedRendition(s3Object(BUCKET, `videos/${VIDEO_ID}/720p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ready');
    });
  });

  describe('other keys', () => {
    it('ignores a key that is not a rendition', async () => {
      // Act
      const outcome = await recordFinishedRendition(
        s3Object(BUCKET, `videos/${VIDEO_ID}/poster.0000000.jpg`),
        deps,
      );

      // Assert
      expect(outcome).to.equal('ignored');
      expect(repository.recordRendition.called).to.equal(false);
      expect(repository.tryMarkReady.called).to.equal(false);
    });
  });
});
