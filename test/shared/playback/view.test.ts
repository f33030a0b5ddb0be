import { expect } from 'chai';
import { canRead, type PlaybackUrls, toVideoSummary, toVideoView } from '#shared/playback';
import { appliedPermissions, readyVideo, transcodingVideo } from '../../support/videos.ts';

/** Public URLs on the CDN, private ones recognisably "signed", so each test sees which kind it got. */
const urls: PlaybackUrls = {
  publicUrl: async (key) => `https://cdn.example.test/${key}`,
  privateUrl: async (key) => `https://bucket.example.test/${key}?signed`,
};

const VIDEO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A READY video made private: renditions and poster untagged, recorded as such. */
function privateVideo() {
  const video = readyVideo({ visibility: 'private', permissions: appliedPermissions(VIDEO_ID, 'private') });
  return { ...video, outputs: video.outputs.map((o) => ({ ...o, public: false })) };
}

describe('shared/playback view', () => {
  describe('toVideoView', () => {
    it('shows a public READY video with a CDN URL per public rendition and its poster', async () => {
      const view = await toVideoView(
        readyVideo({ title: 'Holiday', description: 'Sea' }),
        'someone-else',
        urls,
      );

      expect(view).to.deep.include({
        videoId: VIDEO_ID,
        status: 'READY',
        filename: 'clip.mp4',
        title: 'Holiday',
        description: 'Sea',
        visibility: 'public',
        size: 1234,
        mine: false,
        posterUrl: `https://cdn.example.test/videos/${VIDEO_ID}/poster.0000000.jpg`,
      });
      expect(view.renditions).to.deep.equal([
        {
          rendition: '1080p',
          width: 1920,
          height: 1080,
          url: `https://cdn.example.test/videos/${VIDEO_ID}/1080p.mp4`,
        },
        {
          rendition: '720p',
          width: 1280,
          height: 720,
          url: `https://cdn.example.test/videos/${VIDEO_ID}/720p.mp4`,
        },
        {
          rendition: 'web-720p',
          width: 1280,
          height: 720,
          url: `https://cdn.example.test/videos/${VIDEO_ID}/web-720p.mp4`,
        },
      ]);
    });

    it('shows no title or description when the owner set none', async () => {
      const view = await toVideoView(readyVideo(), 'x', urls);

      expect(view).not.to.have.any.keys('title', 'description');
    });

    it('never gives another user a URL to a rendition that is not tagged public', async () => {
      const video = readyVideo();
      const outputs = video.outputs.map((output) => ({ ...output, public: output.rendition !== '720p' }));

      const view = await toVideoView({ ...video, outputs }, 'x', urls);

      expect(view.renditions.map((r) => r.rendition)).to.deep.equal(['1080p', 'web-720p']);
    });

    it('gives the owner a presigned URL for a rendition whose tag is not public yet', async () => {
      const video = readyVideo();
      const outputs = video.outputs.map((output) => ({ ...output, public: output.rendition !== '720p' }));

      const view = await toVideoView({ ...video, outputs }, 'owner-a', urls);

      expect(view.renditions.map((r) => r.url)).to.deep.equal([
        `https://cdn.example.test/videos/${VIDEO_ID}/1080p.mp4`,
        `https://bucket.example.test/videos/${VIDEO_ID}/720p.mp4?signed`,
        `https://cdn.example.test/videos/${VIDEO_ID}/web-720p.mp4`,
      ]);
    });

    it('gives the owner of a private video only presigned URLs, for every rendition and the poster', async () => {
      const view = await toVideoView(privateVideo(), 'owner-a', urls);

      expect(view).to.deep.include({ visibility: 'private', mine: true });
      expect(view.renditions.map((r) => r.url)).to.deep.equal(
        ['1080p', '720p', 'web-720p'].map(
          (r) => `https://bucket.example.test/videos/${VIDEO_ID}/${r}.mp4?signed`,
        ),
      );
      expect(view.posterUrl).to.equal(
        `https://bucket.example.test/videos/${VIDEO_ID}/poster.0000000.jpg?signed`,
      );
    });

    it('gives anyone else no URL at all for a private video, even one still tagged public', async () => {
      const video = readyVideo({ visibility: 'private' });

      const view = await toVideoView(video, 'owner-b', urls);

      expect(view.renditions).to.deep.equal([]);
      expect(view).not.to.have.property('posterUrl');
    });

    it('gives no URL to a rendition whose permission was never applied', async () => {
      const video = readyVideo({ permissions: appliedPermissions(VIDEO_ID, 'public', ['1080p', 'poster']) });

      const view = await toVideoView(video, 'owner-a', urls);

      expect(view.renditions.map((r) => r.rendition)).to.deep.equal(['1080p']);
    });

    it('gives no URLs for a video that is not READY, even to its owner', async () => {
      const view = await toVideoView(transcodingVideo(), 'owner-a', urls);

      expect(view).to.deep.include({ status: 'TRANSCODING', mine: true, progress: 40 });
      expect(view.renditions).to.deep.equal([]);
      expect(view).not.to.have.property('posterUrl');
    });

    it('shows the reason of a failed video and leaks no internals', async () => {
      const view = await toVideoView(
        transcodingVideo({ status: 'FAILED', reason: 'Unsupported codec', errorCode: '3002' }),
        'owner-a',
        urls,
      );

      expect(view).to.deep.include({ status: 'FAILED', reason: 'Unsupported codec', errorCode: '3002' });
      expect(view).not.to.have.any.keys('source', 'jobId', 'transcoder', 'ownerId', 'outputs', 'permissions');
    });

    it('refuses to show a deleted video', async () => {
      const view = await toVideoView(readyVideo({ status: 'DELETED' }), 'owner-a', urls).catch(
        (error: Error) => error,
      );

      expect(view).to.be.instanceOf(Error);
    });
  });

  describe('canRead', () => {
    it('lets anyone read a public READY video', () => {
      expect(canRead(readyVideo(), 'anyone')).to.equal(true);
    });

    it('lets only the owner read a private READY video', () => {
      expect(canRead(privateVideo(), 'owner-a')).to.equal(true);
      expect(canRead(privateVideo(), 'owner-b')).to.equal(false);
    });

    it('lets only the owner read a video in any other status', () => {
      for (const status of ['UPLOADED', 'TRANSCODING', 'FAILED', 'REJECTED'] as const) {
        expect(canRead(transcodingVideo({ status }), 'owner-a'), status).to.equal(true);
        expect(canRead(transcodingVideo({ status }), 'owner-b'), status).to.equal(false);
      }
    });

    it('lets nobody read a deleted video, not even its owner', () => {
      expect(canRead(readyVideo({ status: 'DELETED' }), 'owner-a')).to.equal(false);
      expect(canRead(readyVideo({ status: 'DELETED' }), 'anyone')).to.equal(false);
    });

    it('lets nobody but READY-readers see a video without an owner', () => {
      expect(canRead(transcodingVideo({ ownerId: undefined }), 'owner-a')).to.equal(false);
    });
  });

  describe('toVideoSummary', () => {
    it('lists a READY video with its poster URL and the renditions a caller could play, signing nothing else', async () => {
      const signed: string[] = [];
      const counting: PlaybackUrls = {
        publicUrl: async (key) => {
          signed.push(key);
          return urls.publicUrl(key);
        },
        privateUrl: async (key) => {
          signed.push(key);
          return urls.privateUrl(key);
        },
      };

      const summary = await toVideoSummary(readyVideo(), 'someone-else', counting);

      expect(signed).to.deep.equal([`videos/${VIDEO_ID}/poster.0000000.jpg`]);
      expect(summary.posterUrl).to.equal(`https://cdn.example.test/videos/${VIDEO_ID}/poster.0000000.jpg`);
      expect(summary.renditions.map((r) => r.rendition)).to.deep.equal(['1080p', '720p', 'web-720p']);
      expect(summary.renditions.some((r) => 'url' in r)).to.equal(false);
    });

    it("shows nobody else a private video's renditions or poster", async () => {
      const summary = await toVideoSummary(privateVideo(), 'someone-else', urls);

      expect(summary.renditions).to.deep.equal([]);
      expect(summary).not.to.have.property('posterUrl');
    });
  });
});
