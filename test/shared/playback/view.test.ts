import { expect } from 'chai';
import { canRead, cdnPlaybackUrls, toVideoView } from '#shared/playback';
import { readyVideo, transcodingVideo } from '../../support/videos.ts';

const urls = cdnPlaybackUrls('cdn.example.test');

describe('shared/playback view', () => {
  describe('toVideoView', () => {
    it('shows a READY video with a URL per public rendition and its poster', async () => {
      const view = await toVideoView(readyVideo(), 'someone-else', urls);

      expect(view).to.deep.include({
        videoId: 'AAAAAAAAAAAAAAAAAAAAAA',
        status: 'READY',
        filename: 'clip.mp4',
        size: 1234,
        mine: false,
        posterUrl: 'https://cdn.example.test/videos/AAAAAAAAAAAAAAAAAAAAAA/poster.0000000.jpg',
      });
      expect(view.renditions).to.deep.equal([
        {
          rendition: '1080p',
          width: 1920,
          height: 1080,
          url: 'https://cdn.example.test/videos/AAAAAAAAAAAAAAAAAAAAAA/1080p.mp4',
        },
        {
          rendition: '720p',
          width: 1280,
          height: 720,
          url: 'https://cdn.example.test/videos/AAAAAAAAAAAAAAAAAAAAAA/720p.mp4',
        },
        {
          rendition: 'web-720p',
          width: 1280,
          height: 720,
          url: 'https://cdn.example.test/videos/AAAAAAAAAAAAAAAAAAAAAA/web-720p.mp4',
        },
      ]);
    });

    it('never gives a URL to a rendition that is not public', async () => {
      const video = readyVideo();
      const outputs = video.outputs.map((output) => ({ ...output, public: output.rendition !== '720p' }));

      const view = await toVideoView({ ...video, outputs }, 'x', urls);

      expect(view.renditions.map((r) => r.rendition)).to.deep.equal(['1080p', 'web-720p']);
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
      expect(view).not.to.have.any.keys('source', 'jobId', 'transcoder', 'ownerId', 'outputs');
    });
  });

  describe('canRead', () => {
    it('lets anyone read a READY video', () => {
      expect(canRead(readyVideo(), 'anyone')).to.equal(true);
    });

    it('lets only the owner read a video in any other status', () => {
      for (const status of ['UPLOADED', 'TRANSCODING', 'FAILED', 'REJECTED'] as const) {
        expect(canRead(transcodingVideo({ status }), 'owner-a'), status).to.equal(true);
        expect(canRead(transcodingVideo({ status }), 'owner-b'), status).to.equal(false);
      }
    });

    it('lets nobody but READY-readers see a video without an owner', () => {
      expect(canRead(transcodingVideo({ ownerId: undefined }), 'owner-a')).to.equal(false);
    });
  });
});
