import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { type ExtractMetadataDeps, extractMetadata } from '#functions/extract-metadata/core.ts';
import { NotAVideoError, ProbeError } from '#shared/media';
import type { MediaMetadata } from '#shared/store';
import { type FakeRepository, fakeLogger, fakeRepository, s3Object } from '../../support/pipeline-fakes.ts';
import { transcodingVideo } from '../../support/videos.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const BUCKET = 'transcoded-bucket';

const METADATA: MediaMetadata = {
  durationSeconds: 12.5,
  width: 1920,
  height: 1080,
  rotation: 0,
  videoCodec: 'h264',
  audioCodec: 'aac',
  bitRate: 5_000_000,
  size: 7_812_500,
  frameRate: 30,
};

describe('extract-metadata core', () => {
  const sandbox = sinon.createSandbox();
  let s3: S3Client;
  let s3Mock: AwsClientStub<S3Client>;
  let repository: FakeRepository;
  let probe: sinon.SinonStub;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: ExtractMetadataDeps;
  let requestDeletion: sinon.SinonStub;

  beforeEach(() => {
    sandbox.useFakeTimers({ now: NOW, toFake: ['Date'] });
    s3 = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    s3Mock = mockClient(s3);
    s3Mock.on(PutObjectCommand).resolves({});
    repository = fakeRepository(sandbox);
    probe = sandbox.stub().resolves(METADATA);
    logger = fakeLogger(sandbox);
    repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID }));
    requestDeletion = sandbox.stub().resolves();
    deps = { s3, probe, repository, bucket: BUCKET, now: () => NOW, logger, requestDeletion };
  });

  afterEach(() => {
    s3Mock.restore();
    sandbox.restore();
  });

  describe('probing', () => {
    it('gives ffprobe a presigned HTTPS GET of the rendition, valid for 15 minutes', async () => {
      // Arrange
      const key = `videos/${VIDEO_ID}/720p.mp4`;

      // Act
      await extractMetadata(s3Object(BUCKET, key), deps);

      // Assert
      expect(probe.calledOnce).to.equal(true);
      const url = new URL(probe.firstCall.args[0] as string);
      expect(url.protocol).to.equal('https:');
      expect(url.host).to.equal(`${BUCKET}.s3.us-east-1.amazonaws.com`);
      expect(url.pathname).to.equal(`/${key}`);
      expect(url.searchParams.get('X-Amz-Algorithm')).to.equal('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Credential')).to.equal(
        'AKIDEXAMPLE/20261124/us-east-1/s3/aws4_request',
      );
      expect(url.searchParams.get('X-Amz-Date')).to.equal('20261124T120000Z');
      expect(url.searchParams.get('X-Amz-Expires')).to.equal('900');
      expect(url.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
      expect(s3Mock.calls()).to.have.length(0);
    });

    it('records the probe of a secondary rendition and tries READY without writing metadata.json', async () => {
      // Act
      const outcome = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/web-720p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('probed');
      expect(repository.recordProbe.args).to.deep.equal([
        [VIDEO_ID, 'web-720p', METADATA, NOW, { highest: false }],
      ]);
      expect(repository.tryMarkReady.args).to.deep.equal([[VIDEO_ID, NOW]]);
      expect(s3Mock.commandCalls(PutObjectCommand)).to.have.length(0);
    });

    for (const [ladder, highest] of [
      [['720p', 'web-720p'], '720p'],
      [['web-720p'], 'web-720p'],
    ] as const) {
      it(`takes the metadata and metadata.json from ${highest}, the highest rendition of a ladder of ${ladder.length}`, async () => {
        // Arrange
        repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, expectedRenditions: ladder }));
        const key = `videos/${VIDEO_ID}/${highest}.mp4`;

        // Act
        await extractMetadata(s3Object(BUCKET, key), deps);

        // Assert
        expect(repository.recordProbe.args).to.deep.equal([
          [VIDEO_ID, highest, METADATA, NOW, { highest: true }],
        ]);
        const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
        expect(puts.map((put) => put.Key)).to.deep.equal([`videos/${VIDEO_ID}/metadata.json`]);
        expect(JSON.parse(puts[0]?.Body as string)).to.include({ rendition: highest, key });
      });
    }

    it('ignores, without probing, a rendition outside the video’s ladder (a late or duplicate event)', async () => {
      // Arrange
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, expectedRenditions: ['web-720p'] }));

      // Act
      const outcome = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(probe.called).to.equal(false);
      expect(repository.recordProbe.called).to.equal(false);
      expect(repository.tryMarkReady.called).to.equal(false);
      expect(s3Mock.commandCalls(PutObjectCommand)).to.have.length(0);
      expect(
        logger.warn.calledWith(
          'Rendition outside the video’s ladder; ignored',
          sinon.match({ videoId: VIDEO_ID, rendition: '1080p', expectedRenditions: ['web-720p'] }),
        ),
      ).to.equal(true);
    });

    it('writes metadata.json under the video prefix for 1080p, the highest rendition of a video without a ladder', async () => {
      // Arrange
      const key = `videos/${VIDEO_ID}/1080p.mp4`;

      // Act
      await extractMetadata(s3Object(BUCKET, key), deps);

      // Assert
      const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
      expect(puts).to.have.length(1);
      expect(puts[0]).to.include({
        Bucket: BUCKET,
        Key: `videos/${VIDEO_ID}/metadata.json`,
        ContentType: 'application/json',
      });
      expect(JSON.parse(puts[0]?.Body as string)).to.deep.equal({
        videoId: VIDEO_ID,
        rendition: '1080p',
        key,
        ...METADATA,
      });
      expect(puts[0]?.Key).to.not.match(/\.mp4$/);
      expect(repository.recordProbe.calledBefore(repository.tryMarkReady)).to.equal(true);
    });

    it('writes no metadata.json for a video that took no facts (deleted, or READY already)', async () => {
      // Arrange
      repository.recordProbe.resolves(false);

      // Act
      await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(s3Mock.commandCalls(PutObjectCommand)).to.have.length(0);
      expect(requestDeletion.called).to.equal(false);
    });

    it('asks delete-video to sweep when the video was deleted while metadata.json was written', async () => {
      // Arrange
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, status: 'DELETED' }));

      // Act
      const outcome = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(s3Mock.commandCalls(PutObjectCommand)).to.have.length(1);
      expect(requestDeletion.args).to.deep.equal([[{ videoId: VIDEO_ID, reason: 'late-output' }]]);
      expect(repository.get.calledAfter(repository.recordProbe)).to.equal(true);
    });

    it('reports ready when the probe was the last fact', async () => {
      // Arrange
      repository.tryMarkReady.resolves(true);

      // Act
      const outcome = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/720p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ready');
    });
  });

  describe('failures', () => {
    it('marks the video FAILED with a reason when the rendition is not a readable video', async () => {
      // Arrange
      probe.rejects(
        new NotAVideoError('videos/x/720p.mp4 is not a video file ffprobe can read (moov atom not found).'),
      );
      const key = `videos/${VIDEO_ID}/720p.mp4`;

      // Act
      const outcome = await extractMetadata(s3Object(BUCKET, key), deps);

      // Assert
      expect(outcome).to.equal('failed');
      expect(repository.recordFailed.args).to.deep.equal([
        [
          VIDEO_ID,
          {
            errorCode: 'NOT_A_VIDEO',
            reason:
              'The 720p rendition is not a readable video: videos/x/720p.mp4 is not a video file ffprobe can read (moov atom not found).',
          },
          NOW,
        ],
      ]);
      expect(repository.recordProbe.called).to.equal(false);
      expect(repository.tryMarkReady.called).to.equal(false);
    });

    it('rethrows when ffprobe could not run or fetch the URL, so Lambda retries with a fresh one', async () => {
      // Arrange
      const failure = new ProbeError('ffprobe failed (exit 1): Server returned 403 Forbidden', '403');
      probe.rejects(failure);

      // Act
      const error = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/720p.mp4`), deps).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.equal(failure);
      expect(repository.recordFailed.called).to.equal(false);
      expect(repository.recordProbe.called).to.equal(false);
      expect(
        logger.error.calledOnceWith(
          sinon.match.string,
          sinon.match({ videoId: VIDEO_ID, rendition: '720p', error: failure }),
        ),
      ).to.equal(true);
    });

    it('rethrows a transient AWS error from the metadata.json write', async () => {
      // Arrange
      s3Mock
        .on(PutObjectCommand)
        .rejects(
          Object.assign(new Error('internal'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }),
        );

      // Act
      const error = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.have.property('name', 'InternalError');
      expect(repository.recordFailed.called).to.equal(false);
    });
  });

  describe('other keys', () => {
    it('ignores metadata.json, so its own write cannot re-trigger it', async () => {
      // Act
      const outcome = await extractMetadata(s3Object(BUCKET, `videos/${VIDEO_ID}/metadata.json`), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(probe.called).to.equal(false);
    });

    it('ignores a rendition in another bucket', async () => {
      // Act
      const outcome = await extractMetadata(s3Object('elsewhere', `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(probe.called).to.equal(false);
      expect(logger.warn.firstCall.args[1]).to.include({ videoId: VIDEO_ID });
    });
  });
});
