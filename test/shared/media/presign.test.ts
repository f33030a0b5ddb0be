import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import sinon from 'sinon';
import { type ProcessRunner, presignGetUrl, probe } from '#shared/media';

describe('unit', () => {
  describe('presignGetUrl', () => {
    let s3: S3Client;

    beforeEach(() => {
      s3 = new S3Client({
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      });
    });

    afterEach(() => {
      s3.destroy();
      sinon.restore();
    });

    it('signs an HTTPS GET of the exact object, expiring when asked', async () => {
      const url = new URL(
        await presignGetUrl(s3, 'transcoded', 'videos/AbCdEfGhIjKlMnOpQrStUv/web-720p.mp4', 300),
      );

      expect(url.protocol).to.equal('https:');
      expect(url.host).to.equal('transcoded.s3.us-east-1.amazonaws.com');
      expect(url.pathname).to.equal('/videos/AbCdEfGhIjKlMnOpQrStUv/web-720p.mp4');
      expect(url.searchParams.get('X-Amz-Expires')).to.equal('300');
      expect(url.searchParams.get('X-Amz-Algorithm')).to.equal('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
    });

    it('percent-encodes a key with spaces, plus signs and unicode', async () => {
      const url = await presignGetUrl(s3, 'uploads', 'uploads/u/my holiday videoé + more.mov', 60);

      expect(new URL(url).pathname).to.equal('/uploads/u/my%20holiday%20video%C3%A9%20%2B%20more.mov');
    });

    it('is the URL ffprobe is given', async () => {
      const url = await presignGetUrl(s3, 'transcoded', 'videos/AbCdEfGhIjKlMnOpQrStUv/1080p.mp4', 900);
      const run = sinon.stub<Parameters<ProcessRunner>, ReturnType<ProcessRunner>>().resolves({
        exitCode: 0,
        signal: null,
        stdout: JSON.stringify({
          streams: [{ codec_type: 'video', codec_name: 'h264', width: 2, height: 2 }],
        }),
        stderr: '',
      });

      await probe(url, { ffprobePath: '/opt/bin/ffprobe', run });

      expect(run.firstCall.args[1].at(-1)).to.equal(url);
    });
  });
});
