import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { makeRenditionPublic, type SetPermissionsDeps } from '../../../functions/set-permissions/core.ts';
import { type FakeRepository, fakeLogger, fakeRepository, s3Object } from '../../support/pipeline-fakes.ts';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const BUCKET = 'transcoded-bucket';
const KEY = `videos/${VIDEO_ID}/web-720p.mp4`;

describe('set-permissions core', () => {
  const sandbox = sinon.createSandbox();
  let s3: S3Client;
  let s3Mock: AwsClientStub<S3Client>;
  let repository: FakeRepository;
  let logger: ReturnType<typeof fakeLogger>;
  let deps: SetPermissionsDeps;

  beforeEach(() => {
    s3 = new S3Client({ region: 'us-east-1' });
    s3Mock = mockClient(s3);
    s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3Mock.on(PutObjectTaggingCommand).resolves({});
    repository = fakeRepository(sandbox);
    logger = fakeLogger(sandbox);
    deps = { s3, repository, bucket: BUCKET, now: () => NOW, logger };
  });

  afterEach(() => {
    s3Mock.restore();
    sandbox.restore();
  });

  describe('renditions', () => {
    it('tags the rendition visibility=public, records it and tries READY', async () => {
      // Act
      const outcome = await makeRenditionPublic(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('public');
      expect(s3Mock.commandCalls(GetObjectTaggingCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: BUCKET, Key: KEY },
      ]);
      expect(s3Mock.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: BUCKET, Key: KEY, Tagging: { TagSet: [{ Key: 'visibility', Value: 'public' }] } },
      ]);
      expect(repository.recordPublic.args).to.deep.equal([[VIDEO_ID, 'web-720p', NOW]]);
      expect(repository.tryMarkReady.args).to.deep.equal([[VIDEO_ID, NOW]]);
      expect(repository.recordPublic.calledBefore(repository.tryMarkReady)).to.equal(true);
    });

    it('keeps the object’s other tags and replaces an old visibility value', async () => {
      // Arrange
      s3Mock.on(GetObjectTaggingCommand).resolves({
        TagSet: [
          { Key: 'owner', Value: 'user-1' },
          { Key: 'visibility', Value: 'private' },
        ],
      });

      // Act
      await makeRenditionPublic(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(s3Mock.commandCalls(PutObjectTaggingCommand)[0]?.args[0].input.Tagging).to.deep.equal({
        TagSet: [
          { Key: 'owner', Value: 'user-1' },
          { Key: 'visibility', Value: 'public' },
        ],
      });
    });

    it('does not rewrite the tags of an object already public, but still records it', async () => {
      // Arrange
      s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'visibility', Value: 'public' }] });

      // Act
      await makeRenditionPublic(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(s3Mock.commandCalls(PutObjectTaggingCommand)).to.have.length(0);
      expect(repository.recordPublic.calledOnce).to.equal(true);
    });

    it('reports ready when its fact completed the set', async () => {
      // Arrange
      repository.tryMarkReady.resolves(true);

      // Act
      const outcome = await makeRenditionPublic(s3Object(BUCKET, KEY), deps);

      // Assert
      expect(outcome).to.equal('ready');
    });

    it('rethrows an S3 failure without recording anything', async () => {
      // Arrange
      const failure = Object.assign(new Error('slow down'), {
        name: 'SlowDown',
        $metadata: { httpStatusCode: 503 },
      });
      s3Mock.on(PutObjectTaggingCommand).rejects(failure);

      // Act
      const error = await makeRenditionPublic(s3Object(BUCKET, KEY), deps).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.have.property('name', 'SlowDown');
      expect(repository.recordPublic.called).to.equal(false);
      expect(
        logger.error.calledOnceWith(sinon.match.string, sinon.match({ videoId: VIDEO_ID, error: failure })),
      ).to.equal(true);
    });
  });

  describe('other keys', () => {
    for (const key of [`videos/${VIDEO_ID}/metadata.json`, `videos/${VIDEO_ID}/480p.mp4`, 'other/file.mp4']) {
      it(`ignores ${key} with a log line`, async () => {
        // Act
        const outcome = await makeRenditionPublic(s3Object(BUCKET, key), deps);

        // Assert
        expect(outcome).to.equal('ignored');
        expect(s3Mock.calls()).to.have.length(0);
        expect(repository.recordPublic.called).to.equal(false);
        expect(logger.info.calledWithMatch(sinon.match.string, { key })).to.equal(true);
      });
    }

    it('ignores a rendition in another bucket', async () => {
      // Act
      const outcome = await makeRenditionPublic(s3Object('someone-elses-bucket', KEY), deps);

      // Assert
      expect(outcome).to.equal('ignored');
      expect(s3Mock.calls()).to.have.length(0);
      expect(logger.warn.firstCall.args[1]).to.include({ videoId: VIDEO_ID, expectedBucket: BUCKET });
    });
  });
});
