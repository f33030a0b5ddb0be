import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  cdnPlaybackUrls,
  PLAYBACK_URL_TTL_SECONDS,
  playbackUrls,
  presignedPlaybackUrls,
} from '#shared/playback/urls';

const s3 = () =>
  new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDPLAY', secretAccessKey: 'secret' } });

describe('shared/playback urls', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: new Date('2026-11-24T12:00:00Z'), toFake: ['Date'] });
  });
  afterEach(() => clock.restore());

  const expectPresigned = (raw: string, key: string) => {
    const url = new URL(raw);
    expect(url.origin).to.equal('https://transcoded.s3.us-east-1.amazonaws.com');
    expect(url.pathname).to.equal(`/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).to.equal(String(PLAYBACK_URL_TTL_SECONDS));
    expect(url.searchParams.get('X-Amz-Credential')).to.equal('AKIDPLAY/20261124/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
  };

  describe('cdnPlaybackUrls', () => {
    it('builds an https URL on the CDN domain with each key segment encoded for public objects', async () => {
      const url = await cdnPlaybackUrls('d111.cloudfront.net', s3(), 'transcoded').publicUrl(
        'videos/abc/my clip#1.mp4',
      );

      expect(url).to.equal('https://d111.cloudfront.net/videos/abc/my%20clip%231.mp4');
    });

    it('accepts a domain given with a scheme and a trailing slash', async () => {
      const urls = cdnPlaybackUrls('https://cdn.example.test/', s3(), 'transcoded');

      expect(await urls.publicUrl('videos/a/720p.mp4')).to.equal(
        'https://cdn.example.test/videos/a/720p.mp4',
      );
    });

    it('presigns a GET on the bucket for private objects, which CloudFront would refuse', async () => {
      const urls = cdnPlaybackUrls('cdn.example.test', s3(), 'transcoded');

      expectPresigned(await urls.privateUrl('videos/abc/720p.mp4'), 'videos/abc/720p.mp4');
    });
  });

  describe('presignedPlaybackUrls', () => {
    it('signs a GET of the object that expires after the playback TTL, public or private', async () => {
      const urls = presignedPlaybackUrls(s3(), 'transcoded');

      expectPresigned(await urls.publicUrl('videos/abc/720p.mp4'), 'videos/abc/720p.mp4');
      expectPresigned(await urls.privateUrl('videos/abc/1080p.mp4'), 'videos/abc/1080p.mp4');
    });
  });

  describe('playbackUrls', () => {
    it('uses the CDN for public objects when a domain is configured', async () => {
      const urls = playbackUrls({ cdnDomain: 'cdn.example.test', s3: s3(), bucket: 'transcoded' });

      expect(await urls.publicUrl('videos/a/720p.mp4')).to.equal(
        'https://cdn.example.test/videos/a/720p.mp4',
      );
      expectPresigned(await urls.privateUrl('videos/a/720p.mp4'), 'videos/a/720p.mp4');
    });

    it('presigns when no CDN is configured', async () => {
      const urls = playbackUrls({ cdnDomain: undefined, s3: s3(), bucket: 'transcoded' });

      expectPresigned(await urls.publicUrl('videos/a/720p.mp4'), 'videos/a/720p.mp4');
    });
  });
});
