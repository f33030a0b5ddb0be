import { expect } from 'chai';
import sinon from 'sinon';
import { deleteOwnVideo, type RequestDeletionDeps } from '#functions/request-deletion/core.ts';
import { TOMBSTONE_TTL_SECONDS } from '#shared/deletion';
import { NotFoundError } from '#shared/http';
import { caught } from '../../support/errors.ts';
import { type FakeRepository, fakeRepository } from '../../support/pipeline-fakes.ts';
import { readyVideo, transcodingVideo } from '../../support/videos.ts';

const VIDEO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const OWNER = 'owner-a';
const NOW = new Date('2026-11-24T12:00:00.000Z');

describe('request-deletion core', () => {
  const sandbox = sinon.createSandbox();
  let repository: FakeRepository;
  let requestDeletion: sinon.SinonStub;
  let deps: RequestDeletionDeps;

  beforeEach(() => {
    repository = fakeRepository(sandbox);
    repository.get.resolves(readyVideo());
    requestDeletion = sandbox.stub().resolves();
    deps = { repository, requestDeletion, now: () => NOW };
  });
  afterEach(() => sandbox.restore());

  it('records the tombstone with its TTL for the owner, then hands the purge to delete-video', async () => {
    const answer = await deleteOwnVideo(VIDEO_ID, OWNER, deps);

    expect(answer).to.equal('accepted');
    expect(repository.recordDeletion.args).to.deep.equal([
      [
        {
          videoId: VIDEO_ID,
          ownerId: OWNER,
          now: NOW,
          expiresAt: NOW.getTime() / 1000 + TOMBSTONE_TTL_SECONDS,
        },
      ],
    ]);
    expect(requestDeletion.args).to.deep.equal([[{ videoId: VIDEO_ID, reason: 'requested' }]]);
    expect(repository.recordDeletion.calledBefore(requestDeletion)).to.equal(true);
  });

  for (const status of ['UPLOADED', 'TRANSCODING', 'FAILED', 'REJECTED'] as const) {
    it(`deletes a ${status} video too`, async () => {
      repository.get.resolves(transcodingVideo({ videoId: VIDEO_ID, ownerId: OWNER, status }));

      expect(await deleteOwnVideo(VIDEO_ID, OWNER, deps)).to.equal('accepted');
      expect(repository.recordDeletion.calledOnce).to.equal(true);
    });
  }

  it('answers 404 to anyone but the owner, recording and invoking nothing', async () => {
    const error = await caught(deleteOwnVideo(VIDEO_ID, 'owner-b', deps));

    expect(error).to.be.instanceOf(NotFoundError).with.property('statusCode', 404);
    expect(repository.recordDeletion.called).to.equal(false);
    expect(requestDeletion.called).to.equal(false);
  });

  it('answers 404 to anyone but the owner for a deleted video, too', async () => {
    repository.get.resolves(readyVideo({ status: 'DELETED' }));

    expect(await caught(deleteOwnVideo(VIDEO_ID, 'owner-b', deps))).to.be.instanceOf(NotFoundError);
  });

  it('answers 404 for an unknown video, and without a lookup for an id that cannot exist', async () => {
    repository.get.resolves(undefined);

    expect(await caught(deleteOwnVideo(VIDEO_ID, OWNER, deps))).to.be.instanceOf(NotFoundError);
    expect(await caught(deleteOwnVideo('not/an/id', OWNER, deps))).to.be.instanceOf(NotFoundError);
    expect(repository.get.callCount).to.equal(1);
  });

  it('invokes the purge again for a tombstone not purged yet (202), without rewriting it', async () => {
    repository.get.resolves(readyVideo({ status: 'DELETED', deletedAt: NOW.toISOString() }));

    const answer = await deleteOwnVideo(VIDEO_ID, OWNER, deps);

    expect(answer).to.equal('accepted');
    expect(repository.recordDeletion.called).to.equal(false);
    expect(requestDeletion.calledOnce).to.equal(true);
  });

  it('answers gone (204) once the tombstone is purged, invoking nothing', async () => {
    repository.get.resolves(readyVideo({ status: 'DELETED', purgedAt: NOW.toISOString() }));

    expect(await deleteOwnVideo(VIDEO_ID, OWNER, deps)).to.equal('gone');
    expect(requestDeletion.called).to.equal(false);
  });

  it('accepts when a concurrent request recorded the tombstone first', async () => {
    repository.recordDeletion.resolves(false);
    repository.get.onSecondCall().resolves(readyVideo({ status: 'DELETED' }));

    expect(await deleteOwnVideo(VIDEO_ID, OWNER, deps)).to.equal('accepted');
    expect(requestDeletion.calledOnce).to.equal(true);
  });

  it('fails, so the user can retry, when delete-video cannot be invoked', async () => {
    const failure = new Error('throttled');
    requestDeletion.rejects(failure);

    expect(await caught(deleteOwnVideo(VIDEO_ID, OWNER, deps))).to.equal(failure);
  });
});
