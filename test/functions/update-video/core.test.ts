import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client, type Tag } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import { parseDetailsRequest, type UpdateVideoDeps, updateVideo } from '#functions/update-video/core.ts';
import { BadRequestError, NotFoundError } from '#shared/http';
import type { PlaybackUrls } from '#shared/playback';
import { caught } from '../../support/errors.ts';
import { type FakeRepository, fakeRepository } from '../../support/pipeline-fakes.ts';
import { appliedPermissions, readyVideo } from '../../support/videos.ts';

const VIDEO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const OWNER = 'owner-a';
const NOW = new Date('2026-11-24T12:00:00.000Z');
const BUCKET = 'transcoded';
const PUBLIC: Tag = { Key: 'visibility', Value: 'public' };

const playback: PlaybackUrls = {
  publicUrl: async (key) => `https://cdn.example.test/${key}`,
  privateUrl: async (key) => `https://bucket.example.test/${key}?signed`,
};

describe('update-video core', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let s3: AwsClientStub<S3Client>;
  let tags: Map<string, Tag[]>;
  let deps: UpdateVideoDeps;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    const client = new S3Client({ region: 'us-east-1' });
    s3 = mockClient(client);
    tags = new Map();
    s3.on(GetObjectTaggingCommand).callsFake((input: { Key: string }) => ({
      TagSet: tags.get(input.Key) ?? [],
    }));
    s3.on(PutObjectTaggingCommand).callsFake((input: { Key: string; Tagging: { TagSet: Tag[] } }) => {
      tags.set(input.Key, input.Tagging.TagSet);
      return {};
    });
    deps = { repository, s3: client, bucket: BUCKET, playback, now: () => NOW };
  });

  afterEach(() => {
    s3.restore();
    sandbox.restore();
  });

  describe('parseDetailsRequest', () => {
    it('returns the checked change', () => {
      expect(parseDetailsRequest({ title: ' Sea ' })).to.deep.equal({ title: 'Sea' });
    });

    for (const [label, body, field] of [
      ['a title that is too long', { title: 'x'.repeat(121) }, 'title'],
      ['a title with a control character', { title: 'a\u0007b' }, 'title'],
      ['a description that is too long', { description: 'x'.repeat(2001) }, 'description'],
      ['a description of the wrong type', { description: ['x'] }, 'description'],
      ['an unknown visibility', { visibility: 'friends' }, 'visibility'],
      ['an unknown field', { owner: 'me' }, 'owner'],
    ] as const) {
      it(`answers 400 INVALID_REQUEST naming the field for ${label}`, () => {
        expect(() => parseDetailsRequest(body as Record<string, unknown>))
          .to.throw(BadRequestError, `"${field}"`)
          .that.includes({ statusCode: 400, code: 'INVALID_REQUEST' });
      });
    }
  });

  describe('details', () => {
    it("applies the owner's title and answers the updated view, touching no tags", async () => {
      repository.updateDetails.resolves(readyVideo({ title: 'Sea' }));

      const view = await updateVideo(VIDEO_ID, OWNER, { title: 'Sea' }, deps);

      expect(repository.updateDetails.args).to.deep.equal([
        [{ videoId: VIDEO_ID, ownerId: OWNER, patch: { title: 'Sea' }, now: NOW }],
      ]);
      expect(view).to.deep.include({ videoId: VIDEO_ID, title: 'Sea', visibility: 'public', mine: true });
      expect(s3.calls()).to.deep.equal([]);
    });
  });

  describe('owner checks', () => {
    it('answers 404 to anyone but the owner (or for a deleted or unknown video): the update did not apply', async () => {
      repository.updateDetails.resolves(undefined);

      expect(await caught(updateVideo(VIDEO_ID, 'owner-b', { title: 'x' }, deps))).to.be.instanceOf(
        NotFoundError,
      );
      expect(repository.updateDetails.firstCall.args[0]).to.include({ ownerId: 'owner-b' });
      expect(s3.calls()).to.deep.equal([]);
    });

    it('answers 404 without a lookup for an id that cannot exist', async () => {
      expect(await caught(updateVideo('../etc', OWNER, { title: 'x' }, deps))).to.be.instanceOf(
        NotFoundError,
      );
      expect(repository.updateDetails.called).to.equal(false);
    });
  });

  describe('visibility', () => {
    const keys = ['1080p', '720p', 'web-720p'].map((r) => `videos/${VIDEO_ID}/${r}.mp4`);
    const posterKey = `videos/${VIDEO_ID}/poster.0000000.jpg`;

    it('untags every recorded rendition and the poster when made private, and answers owner-only URLs', async () => {
      for (const key of [...keys, posterKey]) tags.set(key, [PUBLIC]);
      const privateNow = readyVideo({ visibility: 'private' });
      repository.updateDetails.resolves(privateNow);
      repository.get.resolves(privateNow);

      const view = await updateVideo(VIDEO_ID, OWNER, { visibility: 'private' }, deps);

      expect([...tags.values()]).to.deep.equal([[], [], [], []]);
      expect(
        repository.recordPermission.args.map(([, target, applied]) => [target, applied]),
      ).to.have.deep.members([
        ['1080p', { key: keys[0], visibility: 'private' }],
        ['720p', { key: keys[1], visibility: 'private' }],
        ['web-720p', { key: keys[2], visibility: 'private' }],
        ['poster', { key: posterKey, visibility: 'private' }],
      ]);
      expect(view.visibility).to.equal('private');
      expect(view.renditions.every((r) => r.url.endsWith('?signed'))).to.equal(true);
    });

    it('tags them public again when made public', async () => {
      const publicNow = readyVideo({
        visibility: 'public',
        permissions: appliedPermissions(VIDEO_ID, 'private'),
      });
      repository.updateDetails.resolves(publicNow);
      repository.get.resolves(publicNow);

      await updateVideo(VIDEO_ID, OWNER, { visibility: 'public' }, deps);

      expect([...tags.entries()].sort()).to.deep.equal(
        [...keys, posterKey].map((key) => [key, [PUBLIC]]).sort(),
      );
    });

    it('re-applies the visibility even when it did not change, so a retry repairs a half-done switch', async () => {
      tags.set(keys[0] ?? '', [PUBLIC]);
      const privateNow = readyVideo({
        visibility: 'private',
        permissions: appliedPermissions(VIDEO_ID, 'private'),
      });
      repository.updateDetails.resolves(privateNow);
      repository.get.resolves(privateNow);

      await updateVideo(VIDEO_ID, OWNER, { visibility: 'private' }, deps);

      expect(tags.get(keys[0] ?? '')).to.deep.equal([]);
    });

    it('answers 404 when the video was deleted while it was being re-tagged', async () => {
      const privateNow = readyVideo({ visibility: 'private' });
      repository.updateDetails.resolves(privateNow);
      repository.get.resolves({ ...privateNow, status: 'DELETED' });

      expect(await caught(updateVideo(VIDEO_ID, OWNER, { visibility: 'private' }, deps))).to.be.instanceOf(
        NotFoundError,
      );
    });
  });
});
