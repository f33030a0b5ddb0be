import { expect } from 'chai';
import sinon from 'sinon';
import { type GetVideoDeps, getVideo } from '#functions/get-video/core.ts';
import { NotFoundError } from '#shared/http';
import type { PlaybackUrls } from '#shared/playback';
import { caught } from '../../support/errors.ts';
import { readyVideo, transcodingVideo } from '../../support/videos.ts';

const ID = 'BBBBBBBBBBBBBBBBBBBBBB';

const playback: PlaybackUrls = {
  publicUrl: async (key) => `https://cdn.example.test/${key}`,
  privateUrl: async (key) => `https://bucket.example.test/${key}?signed`,
};

describe('get-video core', () => {
  let get: sinon.SinonStub;
  let deps: GetVideoDeps;

  beforeEach(() => {
    get = sinon.stub().resolves(undefined);
    deps = { repository: { get }, playback };
  });

  describe('visibility', () => {
    it('returns a public READY video to anyone, with URLs', async () => {
      get.resolves(readyVideo({ videoId: ID }));

      const view = await getVideo(ID, 'stranger', deps);

      expect(get.calledOnceWithExactly(ID)).to.equal(true);
      expect(view).to.deep.include({ videoId: ID, status: 'READY', mine: false });
      expect(view.renditions).to.have.length(3);
    });

    it("returns the owner's own video in progress, without URLs", async () => {
      get.resolves(transcodingVideo({ videoId: ID, ownerId: 'me' }));

      const view = await getVideo(ID, 'me', deps);

      expect(view).to.deep.include({ status: 'TRANSCODING', progress: 40, mine: true });
      expect(view.renditions).to.deep.equal([]);
    });

    it("answers 404 for someone else's video in progress", async () => {
      get.resolves(transcodingVideo({ videoId: ID, ownerId: 'owner-a' }));

      expect(await caught(getVideo(ID, 'owner-b', deps)))
        .to.be.instanceOf(NotFoundError)
        .with.property('statusCode', 404);
    });

    it("answers 404 for someone else's private video, and shows it to its owner with presigned URLs", async () => {
      get.resolves(readyVideo({ videoId: ID, ownerId: 'owner-a', visibility: 'private' }));

      expect(await caught(getVideo(ID, 'owner-b', deps))).to.be.instanceOf(NotFoundError);
      const own = await getVideo(ID, 'owner-a', deps);
      expect(own.renditions.map((r) => r.url.endsWith('?signed'))).to.deep.equal([true, true, true]);
    });

    it('answers 404 for a deleted video, to its owner too', async () => {
      get.resolves(readyVideo({ videoId: ID, ownerId: 'owner-a', status: 'DELETED' }));

      expect(await caught(getVideo(ID, 'owner-a', deps))).to.be.instanceOf(NotFoundError);
    });

    it('answers 404 for an unknown video', async () => {
      expect(await caught(getVideo(ID, 'me', deps))).to.be.instanceOf(NotFoundError);
    });

    it('answers 404 without a lookup for an id that cannot exist', async () => {
      expect(await caught(getVideo('not-an-id', 'me', deps))).to.be.instanceOf(NotFoundError);
      expect(get.called).to.equal(false);
    });
  });
});
