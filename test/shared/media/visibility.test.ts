import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { applyVisibilityTag, syncVisibility, withholdOutputs } from '#shared/media';
import { fakeRepository } from '../../support/pipeline-fakes.ts';
import { readyVideo } from '../../support/videos.ts';

const BUCKET = 'transcoded';
const KEY = 'videos/AAAAAAAAAAAAAAAAAAAAAA/poster.0000000.jpg';
const NOW = new Date('2026-11-24T12:00:00.000Z');

describe('unit', () => {
  describe('shared/media visibility', () => {
    let client: S3Client;
    let s3: AwsClientStub<S3Client>;
    const sandbox = sinon.createSandbox();

    beforeEach(() => {
      client = new S3Client({ region: 'us-east-1' });
      s3 = mockClient(client);
      s3.on(PutObjectTaggingCommand).resolves({});
    });
    afterEach(() => {
      s3.restore();
      sandbox.restore();
    });

    describe('applyVisibilityTag', () => {
      it('adds visibility=public keeping other tags', async () => {
        s3.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'team', Value: 'a' }] });

        expect(await applyVisibilityTag(client, BUCKET, KEY, 'public')).to.equal(true);
        expect(s3.commandCalls(PutObjectTaggingCommand)[0]?.args[0].input).to.deep.equal({
          Bucket: BUCKET,
          Key: KEY,
          Tagging: {
            TagSet: [
              { Key: 'team', Value: 'a' },
              { Key: 'visibility', Value: 'public' },
            ],
          },
        });
      });

      it('removes the visibility tag for private, keeping other tags', async () => {
        s3.on(GetObjectTaggingCommand).resolves({
          TagSet: [
            { Key: 'visibility', Value: 'public' },
            { Key: 'team', Value: 'a' },
          ],
        });

        expect(await applyVisibilityTag(client, BUCKET, KEY, 'private')).to.equal(true);
        expect(s3.commandCalls(PutObjectTaggingCommand)[0]?.args[0].input.Tagging).to.deep.equal({
          TagSet: [{ Key: 'team', Value: 'a' }],
        });
      });

      it('writes nothing when the object already is as wanted', async () => {
        s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });

        expect(await applyVisibilityTag(client, BUCKET, KEY, 'private')).to.equal(false);
        expect(s3.commandCalls(PutObjectTaggingCommand)).to.have.length(0);
      });
    });

    describe('syncVisibility', () => {
      it('applies the visibility it read and records it against that visibility', async () => {
        s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
        const repository = fakeRepository(sandbox);
        repository.get.resolves(readyVideo({ visibility: 'public' }));

        const result = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', 'poster', KEY, {
          repository,
          s3: client,
          bucket: BUCKET,
          now: () => NOW,
        });

        expect(result).to.deep.equal({ outcome: 'applied', visibility: 'public', changed: true });
        expect(repository.recordPermission.args).to.deep.equal([
          ['AAAAAAAAAAAAAAAAAAAAAA', 'poster', { key: KEY, visibility: 'public' }, NOW],
        ]);
      });

      it('tags nothing of a rendition outside the video’s ladder, and still tags its poster', async () => {
        s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
        const repository = fakeRepository(sandbox);
        repository.get.resolves(readyVideo({ visibility: 'public', expectedRenditions: ['web-720p'] }));
        const deps = { repository, s3: client, bucket: BUCKET, now: () => NOW };

        const stray = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', '1080p', 'videos/A/1080p.mp4', deps);
        const poster = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', 'poster', KEY, deps);

        expect(stray).to.deep.equal({ outcome: 'unrequested' });
        expect(poster).to.include({ outcome: 'applied' });
        expect(repository.recordPermission.args.map((args) => args[1])).to.deep.equal(['poster']);
        expect(s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input.Key)).to.deep.equal([KEY]);
      });

      for (const name of ['NoSuchKey', 'AccessDenied']) {
        it(`rethrows ${name} when the video is not deleted (a real problem: Lambda retries)`, async () => {
          const missing = Object.assign(new Error('no such key'), { name });
          s3.on(GetObjectTaggingCommand).rejects(missing);
          const repository = fakeRepository(sandbox);
          repository.get.resolves(readyVideo());

          const error = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', 'poster', KEY, {
            repository,
            s3: client,
            bucket: BUCKET,
            now: () => NOW,
          }).catch((e: unknown) => e);

          expect(error).to.equal(missing);
        });
      }

      for (const name of ['NoSuchKey', 'AccessDenied']) {
        it(`reports a deleted video when the purge removed the object first (S3 answers ${name})`, async () => {
          // Arrange: S3 answers AccessDenied for a missing key to a caller without s3:ListBucket.
          s3.on(GetObjectTaggingCommand).rejects(Object.assign(new Error('gone'), { name }));
          const repository = fakeRepository(sandbox);
          repository.get.onFirstCall().resolves(readyVideo());
          repository.get.resolves(readyVideo({ status: 'DELETED' }));

          // Act
          const result = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', 'poster', KEY, {
            repository,
            s3: client,
            bucket: BUCKET,
            now: () => NOW,
          });

          // Assert
          expect(result).to.deep.equal({ outcome: 'deleted' });
          expect(s3.commandCalls(PutObjectTaggingCommand)).to.have.length(0);
          expect(repository.recordPermission.called).to.equal(false);
        });
      }

      it('withholds the public tag of a FAILED video’s output and records nothing', async () => {
        // Arrange
        s3.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'visibility', Value: 'public' }] });
        const repository = fakeRepository(sandbox);
        repository.get.resolves(readyVideo({ status: 'FAILED', visibility: 'public' }));

        // Act
        const result = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', '720p', KEY, {
          repository,
          s3: client,
          bucket: BUCKET,
          now: () => NOW,
        });

        // Assert
        expect(result).to.deep.equal({ outcome: 'withheld' });
        expect(s3.commandCalls(PutObjectTaggingCommand)[0]?.args[0].input.Tagging).to.deep.equal({
          TagSet: [],
        });
        expect(repository.recordPermission.called).to.equal(false);
      });

      it('removes a public tag it set just before the video FAILED: the record refuses, the next read withholds', async () => {
        // Arrange
        s3.on(GetObjectTaggingCommand)
          .resolvesOnce({ TagSet: [] })
          .resolves({ TagSet: [{ Key: 'visibility', Value: 'public' }] });
        const repository = fakeRepository(sandbox);
        repository.get.onFirstCall().resolves(readyVideo({ status: 'TRANSCODING' }));
        repository.get.resolves(readyVideo({ status: 'FAILED' }));
        repository.recordPermission.resolves(false);

        // Act
        const result = await syncVisibility('AAAAAAAAAAAAAAAAAAAAAA', '720p', KEY, {
          repository,
          s3: client,
          bucket: BUCKET,
          now: () => NOW,
        });

        // Assert
        expect(result).to.deep.equal({ outcome: 'withheld' });
        expect(s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input.Tagging)).to.deep.equal([
          { TagSet: [{ Key: 'visibility', Value: 'public' }] },
          { TagSet: [] },
        ]);
      });
    });

    describe('withholdOutputs', () => {
      it('untags every output the video recorded, whatever visibility it recorded, and skips a missing one', async () => {
        // Arrange
        s3.on(GetObjectTaggingCommand, { Key: 'videos/a/720p.mp4' }).resolves({
          TagSet: [{ Key: 'visibility', Value: 'public' }],
        });
        s3.on(GetObjectTaggingCommand, { Key: 'videos/a/1080p.mp4' }).rejects(
          Object.assign(new Error('gone'), { name: 'NoSuchKey' }),
        );

        // Act
        const untagged = await withholdOutputs(
          {
            permissions: {
              '720p': { key: 'videos/a/720p.mp4', visibility: 'public' },
              '1080p': { key: 'videos/a/1080p.mp4', visibility: 'public' },
            },
          },
          { s3: client, bucket: BUCKET },
        );

        // Assert
        expect(untagged).to.equal(1);
        expect(s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input)).to.deep.equal([
          { Bucket: BUCKET, Key: 'videos/a/720p.mp4', Tagging: { TagSet: [] } },
        ]);
      });
    });
  });
});
