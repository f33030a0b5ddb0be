import { expect } from 'chai';
import sinon from 'sinon';
import { type ListVideosDeps, listVideos } from '#functions/list-videos/core.ts';
import { BadRequestError } from '#shared/http';
import type { PlaybackUrls } from '#shared/playback';
import { InvalidCursorError } from '#shared/store';
import { readyVideo, transcodingVideo } from '../../support/videos.ts';

const playback: PlaybackUrls = {
  publicUrl: async (key) => `https://cdn.example.test/${key}`,
  privateUrl: async (key) => `https://bucket.example.test/${key}?signed`,
};

describe('list-videos core', () => {
  let listCatalogue: sinon.SinonStub;
  let listByOwner: sinon.SinonStub;
  let deps: ListVideosDeps;

  beforeEach(() => {
    listCatalogue = sinon.stub().resolves({ items: [] });
    listByOwner = sinon.stub().resolves({ items: [] });
    deps = { repository: { listCatalogue, listByOwner }, playback };
  });

  describe('the catalogue', () => {
    it('queries the public READY catalogue with the limit and cursor', async () => {
      await listVideos({ callerId: 'viewer', mine: false, limit: 5, cursor: 'c1' }, deps);

      expect(listCatalogue.calledOnceWithExactly({ limit: 5, cursor: 'c1' })).to.equal(true);
      expect(listByOwner.called).to.equal(false);
    });

    it('returns the items with the poster URL, the renditions without URLs, and the next cursor', async () => {
      listCatalogue.resolves({ items: [readyVideo()], cursor: 'next-page' });

      const page = await listVideos({ callerId: 'viewer', mine: false, limit: 5 }, deps);

      expect(listCatalogue.firstCall.args[0]).to.deep.equal({ limit: 5 });
      expect(page.nextCursor).to.equal('next-page');
      expect(page.items).to.have.length(1);
      expect(page.items[0]?.posterUrl).to.equal(
        'https://cdn.example.test/videos/AAAAAAAAAAAAAAAAAAAAAA/poster.0000000.jpg',
      );
      expect(page.items[0]?.renditions.map((r) => r.rendition)).to.deep.equal(['1080p', '720p', 'web-720p']);
      expect(page.items[0]?.renditions.some((r) => 'url' in r)).to.equal(false);
    });

    it('omits nextCursor on the last page', async () => {
      const page = await listVideos({ callerId: 'viewer', mine: false, limit: 5 }, deps);

      expect(page).to.deep.equal({ items: [] });
    });

    it('drops anything that is not READY and public, even if the index returned it', async () => {
      listCatalogue.resolves({
        items: [
          transcodingVideo(),
          readyVideo({ videoId: 'PPPPPPPPPPPPPPPPPPPPPP', visibility: 'private' }),
          readyVideo({ status: 'DELETED' }),
          readyVideo(),
        ],
      });

      const page = await listVideos({ callerId: 'viewer', mine: false, limit: 5 }, deps);

      expect(page.items.map((item) => [item.videoId, item.status])).to.deep.equal([
        ['AAAAAAAAAAAAAAAAAAAAAA', 'READY'],
      ]);
    });
  });

  describe('mine=true', () => {
    it("queries the caller's videos by owner, in every status", async () => {
      listByOwner.resolves({ items: [transcodingVideo({ ownerId: 'me' }), readyVideo({ ownerId: 'me' })] });

      const page = await listVideos({ callerId: 'me', mine: true, limit: 10 }, deps);

      expect(listByOwner.calledOnceWithExactly('me', { limit: 10 })).to.equal(true);
      expect(listCatalogue.called).to.equal(false);
      expect(page.items.map((item) => [item.status, item.mine])).to.deep.equal([
        ['TRANSCODING', true],
        ['READY', true],
      ]);
      expect(page.items[0]?.renditions).to.deep.equal([]);
    });

    it("shows the owner's private READY video with a presigned poster and its renditions", async () => {
      listByOwner.resolves({ items: [readyVideo({ ownerId: 'me', visibility: 'private' })] });

      const page = await listVideos({ callerId: 'me', mine: true, limit: 10 }, deps);

      expect(page.items[0]?.visibility).to.equal('private');
      expect(page.items[0]?.posterUrl?.endsWith('?signed')).to.equal(true);
      expect(page.items[0]?.renditions).to.have.length(3);
    });

    it('drops deleted videos, even if the index returned them', async () => {
      listByOwner.resolves({ items: [readyVideo({ ownerId: 'me', status: 'DELETED' })] });

      const page = await listVideos({ callerId: 'me', mine: true, limit: 10 }, deps);

      expect(page.items).to.deep.equal([]);
    });

    it('drops videos of other owners, even if the index returned them', async () => {
      listByOwner.resolves({ items: [transcodingVideo({ ownerId: 'someone-else' })] });

      const page = await listVideos({ callerId: 'me', mine: true, limit: 10 }, deps);

      expect(page.items).to.deep.equal([]);
    });
  });

  describe('cursors', () => {
    it('turns a malformed cursor into a 400 INVALID_CURSOR', async () => {
      listCatalogue.rejects(new InvalidCursorError('bad cursor'));

      let caught: unknown;
      try {
        await listVideos({ callerId: 'viewer', mine: false, limit: 5, cursor: '!!!' }, deps);
      } catch (error) {
        caught = error;
      }

      expect(caught)
        .to.be.instanceOf(BadRequestError)
        .that.includes({ statusCode: 400, code: 'INVALID_CURSOR' });
    });

    it('rethrows any other failure unchanged', async () => {
      const failure = new Error('throttled');
      listByOwner.rejects(failure);

      let caught: unknown;
      try {
        await listVideos({ callerId: 'me', mine: true, limit: 5 }, deps);
      } catch (error) {
        caught = error;
      }

      expect(caught).to.equal(failure);
    });
  });
});
