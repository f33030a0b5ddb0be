import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client, type Tag } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { applyRenditionPermission, type SetPermissionsDeps } from '#functions/set-permissions/core.ts';
import { VisibilityRaceError } from '#shared/media';
import { type FakeRepository, fakeLogger, fakeRepository, s3Object } from '../../support/pipeline-fakes.ts';
import { transcodingVideo } from '../../support/videos.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const BUCKET = 'transcoded-bucket';
const KEY = `videos/${VIDEO_ID}/web-720p.mp4`;
const PUBLIC: Tag = { Key: 'visibility', Value: 'public' };

describe('set-permissions core', () => {
  const sandbox = sinon.createSandbox();
  let s3: S3Client;
  let s3Mock: AwsClientStub<S3Client>;
  let tags: Tag[];
  let repository: FakeRepository;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: SetPermissionsDeps;

  const video = (
    visibility: 'public' | 'private',
    status: 'TRANSCODING' | 'DELETED' | 'FAILED' = 'TRANSCODING',
  ) => transcodingVideo({ videoId: VIDEO_ID, visibility, status });

  beforeEach(() => {
    s3 = new S3Client({ region: 'us-east-1' });
    s3Mock = mockClient(s3);
    // The object's tag set, as S3 keeps it: PutObjectTagging replaces it.
    tags = [];
    s3Mock.on(GetObjectTaggingCommand).callsFake(() => ({ TagSet: structuredClone(tags) }));
    s3Mock.on(PutObjectTaggingCommand).callsFake((input: { Tagging: { TagSet: Tag[] } }) => {
      tags = structuredClone(input.Tagging.TagSet);
      return {};
    });
    repository = fakeRepository(sandbox);
    repository.get.resolves(video('public'));
    logger = fakeLogger(sandbox);
    deps = { s3, repository, bucket: BUCKET, now: () => NOW, logger };
  });

  afterEach(() => {
    s3Mock.restore();
    sandbox.restore();
  });

  const tagWrites = () => s3Mock.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input);

  describe('a public video', () => {
    it('tags the rendition visibility=public, records the permission against the visibility and tries READY', async () => {
      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('public');
      expect(repository.get.args).to.deep.equal([[VIDEO_ID]]);
      expect(s3Mock.commandCalls(GetObjectTaggingCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: BUCKET, Key: KEY },
      ]);
      expect(tagWrites()).to.deep.equal([{ Bucket: BUCKET, Key: KEY, Tagging: { TagSet: [PUBLIC] } }]);
      expect(repository.recordPermission.args).to.deep.equal([
        [VIDEO_ID, 'web-720p', { key: KEY, visibility: 'public' }, NOW],
      ]);
      expect(repository.tryMarkReady.args).to.deep.equal([[VIDEO_ID, NOW]]);
      expect(repository.recordPermission.calledBefore(repository.tryMarkReady)).to.equal(true);
    });

    it('keeps the object’s other tags and replaces an old visibility value', async () => {
      // Arrange
      tags = [
        { Key: 'owner', Value: 'user-1' },
        { Key: 'visibility', Value: 'private' },
      ];

      // Act
      await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(tags).to.deep.equal([{ Key: 'owner', Value: 'user-1' }, PUBLIC]);
    });

    it('does not rewrite the tags of an object already public, but still records it', async () => {
      // Arrange
      tags = [PUBLIC];

      // Act
      await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(tagWrites()).to.have.length(0);
      expect(repository.recordPermission.calledOnce).to.equal(true);
    });

    it('reports ready when its fact completed the set', async () => {
      // Arrange
      repository.tryMarkReady.resolves(true);

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('ready');
    });
  });

  describe('a private video', () => {
    it('leaves the rendition untagged, records the private permission and still tries READY', async () => {
      // Arrange
      repository.get.resolves(video('private'));

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('private');
      expect(tagWrites()).to.deep.equal([]);
      expect(repository.recordPermission.args).to.deep.equal([
        [VIDEO_ID, 'web-720p', { key: KEY, visibility: 'private' }, NOW],
      ]);
      expect(repository.tryMarkReady.calledOnce).to.equal(true);
    });

    it('removes a public tag the object carries, keeping its other tags', async () => {
      // Arrange
      repository.get.resolves(video('private'));
      tags = [{ Key: 'owner', Value: 'user-1' }, PUBLIC];

      // Act
      await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(tagWrites()).to.deep.equal([
        { Bucket: BUCKET, Key: KEY, Tagging: { TagSet: [{ Key: 'owner', Value: 'user-1' }] } },
      ]);
    });
  });

  describe('the owner switching visibility while the rendition is tagged', () => {
    it('re-reads and re-applies when the record finds the visibility changed: the last write wins', async () => {
      // Arrange: public when read, private by the time the permission is recorded.
      repository.get.onFirstCall().resolves(video('public')).onSecondCall().resolves(video('private'));
      repository.recordPermission.onFirstCall().resolves(false).onSecondCall().resolves(true);

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('private');
      expect(tagWrites().map((w) => w.Tagging?.TagSet)).to.deep.equal([[PUBLIC], []]);
      expect(tags).to.deep.equal([]);
      expect(repository.recordPermission.args.map((a) => a[2])).to.deep.equal([
        { key: KEY, visibility: 'public' },
        { key: KEY, visibility: 'private' },
      ]);
    });

    it('gives up with a retryable error after the visibility changed on every attempt', async () => {
      // Arrange
      repository.recordPermission.resolves(false);

      // Act
      const error = await applyRenditionPermission(s3Object(BUCKET, KEY), deps).catch((e: unknown) => e);

      // Assert
      expect(error).to.be.instanceOf(VisibilityRaceError);
      expect(repository.recordPermission.callCount).to.equal(5);
      expect(repository.tryMarkReady.called).to.equal(false);
    });
  });

  describe('a deleted or unknown video', () => {
    it('tags nothing and records nothing for a deleted video', async () => {
      // Arrange
      repository.get.resolves(video('public', 'DELETED'));

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(s3Mock.calls()).to.have.length(0);
      expect(repository.recordPermission.called).to.equal(false);
      expect(repository.tryMarkReady.called).to.equal(false);
    });

    it('reports deleted when the purge removed the object while it was being tagged', async () => {
      // Arrange
      s3Mock.on(GetObjectTaggingCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchKey' }));
      repository.get
        .onFirstCall()
        .resolves(video('public'))
        .onSecondCall()
        .resolves(video('public', 'DELETED'));

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('deleted');
      expect(repository.recordPermission.called).to.equal(false);
    });

    it('leaves the rendition of a FAILED video untagged, even a public one, and tries no READY', async () => {
      // Arrange
      tags = [PUBLIC];
      repository.get.resolves(video('public', 'FAILED'));

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('withheld');
      expect(tags).to.deep.equal([]);
      expect(repository.recordPermission.called).to.equal(false);
      expect(repository.tryMarkReady.called).to.equal(false);
    });

    it('ignores a rendition outside the video’s ladder: left untagged, nothing recorded, no READY', async () => {
      // Arrange
      repository.get.resolves(
        transcodingVideo({ videoId: VIDEO_ID, visibility: 'public', expectedRenditions: ['web-720p'] }),
      );

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, `videos/${VIDEO_ID}/1080p.mp4`), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(s3Mock.calls()).to.have.length(0);
      expect(repository.recordPermission.called).to.equal(false);
      expect(repository.tryMarkReady.called).to.equal(false);
      expect(
        logger.warn.calledOnceWith(
          'Rendition outside the video’s ladder; ignored and left untagged',
          sinon.match({ videoId: VIDEO_ID, rendition: '1080p' }),
        ),
      ).to.equal(true);
    });

    it('leaves the rendition of an unknown video untagged', async () => {
      // Arrange
      repository.get.resolves(undefined);

      // Act
      const outcome = await applyRenditionPermission(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(s3Mock.calls()).to.have.length(0);
    });
  });

  describe('failures', () => {
    it('rethrows an S3 failure without recording anything', async () => {
      // Arrange
      const failure = Object.assign(new Error('slow down'), {
        name: 'SlowDown',
        $metadata: { httpStatusCode: 503 },
      });
      s3Mock.on(PutObjectTaggingCommand).rejects(failure);

      // Act
      const error = await applyRenditionPermission(s3Object(BUCKET, KEY), deps).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.have.property('name', 'SlowDown');
      expect(repository.recordPermission.called).to.equal(false);
      expect(
        logger.error.calledOnceWith(sinon.match.string, sinon.match({ videoId: VIDEO_ID, error: failure })),
      ).to.equal(true);
    });
  });

  describe('other keys', () => {
    for (const key of [`videos/${VIDEO_ID}/metadata.json`, `videos/${VIDEO_ID}/480p.mp4`, 'other/file.mp4']) {
      it(`ignores ${key} with a log line`, async () => {
        // Act
        const outcome = await applyRenditionPermission(s3Object(BUCKET, key), deps);

        // Assert
        expect(outcome).to.equal('ignored');
        expect(s3Mock.calls()).to.have.length(0);
        expect(repository.recordPermission.called).to.equal(false);
        expect(logger.info.calledWithMatch(sinon.match.string, { key })).to.equal(true);
      });
    }

    it('ignores a rendition in another bucket', async () => {
      // Act
      const outcome = await applyRenditionPermission(s3Object('someone-elses-bucket', KEY), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(s3Mock.calls()).to.have.length(0);
      expect(logger.warn.firstCall.args[1]).to.include({ videoId: VIDEO_ID, expectedBucket: BUCKET });
    });
  });
});
