import { expect } from 'chai';
import sinon from 'sinon';
import { NotAVideoError, ProbeError, type ProcessResult, type ProcessRunner, probe } from '#shared/media';

const URL_WITH_SIGNATURE =
  'https://transcoded.s3.us-east-1.amazonaws.com/videos/AbCdEfGhIjKlMnOpQrStUv/1080p.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=deadbeef';

const PROBE_JSON = {
  streams: [
    {
      codec_type: 'video',
      codec_name: 'h264',
      width: 1920,
      height: 1080,
      avg_frame_rate: '30000/1001',
      r_frame_rate: '30000/1001',
    },
    { codec_type: 'audio', codec_name: 'aac' },
  ],
  format: {
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration: '12.345000',
    size: '6250000',
    bit_rate: '4050000',
  },
};

function result(overrides: Partial<ProcessResult>): ProcessResult {
  return { exitCode: 0, signal: null, stdout: '', stderr: '', ...overrides };
}

describe('unit', () => {
  describe('probe', () => {
    let run: sinon.SinonStub<Parameters<ProcessRunner>, ReturnType<ProcessRunner>>;

    beforeEach(() => {
      run = sinon.stub<Parameters<ProcessRunner>, ReturnType<ProcessRunner>>();
    });

    afterEach(() => sinon.restore());

    it('runs ffprobe on the URL itself, as one argument, with JSON output and errors only', async () => {
      run.resolves(result({ stdout: JSON.stringify(PROBE_JSON) }));

      await probe(URL_WITH_SIGNATURE, { ffprobePath: '/opt/bin/ffprobe', run, timeoutMs: 30_000 });

      expect(run.callCount).to.equal(1);
      expect(run.firstCall.args).to.deep.equal([
        '/opt/bin/ffprobe',
        ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', URL_WITH_SIGNATURE],
        { timeoutMs: 30_000 },
      ]);
    });

    it('defaults the timeout to 60 seconds', async () => {
      run.resolves(result({ stdout: JSON.stringify(PROBE_JSON) }));

      await probe(URL_WITH_SIGNATURE, { ffprobePath: 'ffprobe', run });

      expect(run.firstCall.args[2]).to.deep.equal({ timeoutMs: 60_000 });
    });

    it('returns the normalized metadata', async () => {
      run.resolves(result({ stdout: JSON.stringify(PROBE_JSON) }));

      const metadata = await probe(URL_WITH_SIGNATURE, { ffprobePath: 'ffprobe', run });

      expect(metadata).to.deep.equal({
        durationSeconds: 12.345,
        width: 1920,
        height: 1080,
        rotation: 0,
        videoCodec: 'h264',
        audioCodec: 'aac',
        bitRate: 4050000,
        size: 6250000,
        frameRate: 29.97,
      });
    });

    it('throws NotAVideoError when ffprobe cannot understand the file', async () => {
      run.resolves(
        result({ exitCode: 1, stderr: `${URL_WITH_SIGNATURE}: Invalid data found when processing input\n` }),
      );

      const error = await probe(URL_WITH_SIGNATURE, { ffprobePath: 'ffprobe', run }).catch((e: unknown) => e);

      expect(error).to.be.instanceOf(NotAVideoError);
      expect((error as Error).message).to.equal(
        'The file is not a video ffprobe can read (Invalid data found when processing input).',
      );
    });

    it('throws a ProbeError carrying stderr when ffprobe cannot read the URL, without the signature in the message', async () => {
      const stderr = `HTTP error 403 Forbidden\n${URL_WITH_SIGNATURE}: Server returned 403 Forbidden (access denied)`;
      run.resolves(result({ exitCode: 1, stderr }));

      const error = await probe(URL_WITH_SIGNATURE, { ffprobePath: 'ffprobe', run }).catch((e: unknown) => e);

      expect(error).to.be.instanceOf(ProbeError);
      expect((error as ProbeError).stderr).to.equal(
        'HTTP error 403 Forbidden\nhttps://transcoded.s3.us-east-1.amazonaws.com/videos/AbCdEfGhIjKlMnOpQrStUv/1080p.mp4?…: Server returned 403 Forbidden (access denied)',
      );
      expect((error as ProbeError).message)
        .to.include('403 Forbidden')
        .and.include('exit 1');
      expect((error as ProbeError).message).not.to.include('deadbeef');
    });

    it('says so when ffprobe was killed by the timeout', async () => {
      run.resolves(result({ exitCode: null, signal: 'SIGKILL' }));

      const error = await probe(URL_WITH_SIGNATURE, { ffprobePath: 'ffprobe', run }).catch((e: unknown) => e);

      expect(error).to.be.instanceOf(ProbeError);
      expect((error as Error).message).to.include('killed by SIGKILL');
    });

    it('throws a ProbeError naming the path when ffprobe cannot start', async () => {
      const enoent = Object.assign(new Error('spawn /opt/bin/ffprobe ENOENT'), { code: 'ENOENT' });
      run.rejects(enoent);

      const error = await probe(URL_WITH_SIGNATURE, { ffprobePath: '/opt/bin/ffprobe', run }).catch(
        (e: unknown) => e,
      );

      expect(error).to.be.instanceOf(ProbeError);
      expect((error as Error).message)
        .to.include('/opt/bin/ffprobe')
        .and.include('FFPROBE_PATH');
      expect((error as Error).cause).to.equal(enoent);
    });

    it('throws a ProbeError when ffprobe prints something other than JSON', async () => {
      run.resolves(result({ stdout: 'not json' }));

      const error = await probe(URL_WITH_SIGNATURE, { ffprobePath: 'ffprobe', run }).catch((e: unknown) => e);

      expect(error).to.be.instanceOf(ProbeError);
      expect((error as Error).cause).to.be.instanceOf(SyntaxError);
    });
  });
});
