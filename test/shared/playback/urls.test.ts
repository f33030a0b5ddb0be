import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  cdnPlaybackUrls,
  PLAYBACK_URL_TTL_SECONDS,
  playbackUrls,
  presignedPlaybackUrls,
} from '#shared/playback';

const s3 = () =>
  new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDPLAY', secretAccessKey: 'secret' } });

describe('shared/playback urls', () => {
  describe('cdnPlaybackUrls', () => {
    it('builds an https URL on the CDN domain with each key segment encoded', async () => {
      const url = await cdnPlaybackUrls('d111.cloudfront.net').urlFor('videos/abc/my clip#1.mp4');

      expect(url).to.equal('https://d111.cloudfront.net/videos/abc/my%20clip%231.mp4');
    });

    it('accepts a domain given with a scheme and a trailing slash', async () => {
      expect(await cdnPlaybackUrls('https://cdn.example.test/').urlFor('videos/a/720p.mp4')).to.equal(
        'https://cdn.example.test/videos/a/720p.mp4',
      );
    });
  });

  describe('presignedPlaybackUrls', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: new Date('2026-11-24T12:00:00Z'), toFake: ['Date'] });
    });
    afterEach(() => clock.restore());

    it('signs a GET of the object that expires after the playback TTL', async () => {
      const url = new URL(await presignedPlaybackUrls(s3(), 'transcoded').urlFor('videos/abc/720p.mp4'));

      expect(url.origin).to.equal('https://transcoded.s3.us-east-1.amazonaws.com');
      expect(url.pathname).to.equal('/videos/abc/720p.mp4');
      expect(url.searchParams.get('X-Amz-Expires')).to.equal(String(PLAYBACK_URL_TTL_SECONDS));
      expect(url.searchParams.get('X-Amz-Credential')).to.equal(
        'AKIDPLAY/20261124/us-east-1/s3/aws4_request',
      );
      expect(url.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
    });
  });

  describe('playbackUrls', () => {
    it('uses the CDN when a domain is configured', async () => {
      const urls = playbackUrls({ cdnDomain: 'cdn.example.test', s3: s3(), bucket: 'transcoded' });

      expect(await urls.urlFor('videos/a/720p.mp4')).to.equal('https://cdn.example.test/videos/a/720p.mp4');
    });

    it('presigns when no CDN is configured', async () => {
      const urls = playbackUrls({ cdnDomain: undefined, s3: s3(), bucket: 'transcoded' });

      expect(await urls.urlFor('videos/a/720p.mp4')).to.match(
        /^https:\/\/transcoded\.s3\..*X-Amz-Signature=/,
      );
    });
  });
});
