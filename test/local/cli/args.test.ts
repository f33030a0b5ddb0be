import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parsePipelineArgs, parseRedriveArgs, parseStartArgs, UsageError } from '../../../local/cli/args.ts';

function usageErrorOf(parse: () => unknown): UsageError {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).to.be.instanceOf(UsageError);
  return thrown as UsageError;
}

describe('local CLI arguments', () => {
  let dir: string;
  let clip: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-args-'));
    clip = join(dir, 'clip.mp4');
    await writeFile(clip, 'not really a video; the pipeline judges that, not the CLI');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('npm run pipeline', () => {
    it('reads the file, backend, --json and --timeout when they are valid', () => {
      const args = parsePipelineArgs(
        [clip, '--transcoder', 'elastic-transcoder', '--json', '--timeout', '30'],
        'mediaconvert',
      );

      expect(args).to.deep.equal({
        help: false,
        file: clip,
        backend: 'elastic-transcoder',
        json: true,
        timeoutMs: 30_000,
        fullLadder: false,
      });
    });

    it('reads --full-ladder, which turns the source-aware ladder off', () => {
      expect(parsePipelineArgs([clip, '--full-ladder'], 'mediaconvert').fullLadder).to.equal(true);
    });

    it('names the missing file when it does not exist', () => {
      const missing = join(dir, 'missing.mp4');

      const error = usageErrorOf(() => parsePipelineArgs([missing], 'mediaconvert'));

      expect(error.message).to.equal(`${missing} does not exist; give the path of a video file.`);
    });

    it('refuses a directory instead of failing later on the upload', () => {
      const error = usageErrorOf(() => parsePipelineArgs([dir], 'mediaconvert'));

      expect(error.message).to.equal(`${dir} is not a file; give the path of a video file.`);
    });

    it('lists the backends when --transcoder is unknown', () => {
      const error = usageErrorOf(() => parsePipelineArgs([clip, '--transcoder', 'bogus'], 'mediaconvert'));

      expect(error.message).to.equal(
        '--transcoder must be one of mediaconvert, elastic-transcoder, got "bogus".',
      );
    });

    it('turns an unknown option into a usage error with the usage line, not a stack trace', () => {
      const error = usageErrorOf(() => parsePipelineArgs([clip, '--jsn'], 'mediaconvert'));

      expect(error.message).to.contain("Unknown option '--jsn'");
      expect(error.message).to.contain('usage: npm run pipeline -- <file>');
    });

    it('asks for exactly one file when none or two are given', () => {
      const none = usageErrorOf(() => parsePipelineArgs([], 'mediaconvert'));
      const two = usageErrorOf(() => parsePipelineArgs([clip, clip], 'mediaconvert'));

      expect(none.message).to.match(/^Give exactly one video file\./);
      expect(two.message).to.match(/^Give exactly one video file\./);
    });

    it('refuses a timeout that is not a positive number', () => {
      const error = usageErrorOf(() => parsePipelineArgs([clip, '--timeout', 'soon'], 'mediaconvert'));

      expect(error.message).to.equal('--timeout must be a positive number of seconds, got "soon".');
    });
  });

  describe('npm start', () => {
    it('runs without a file (a generated sample) on the default backend', () => {
      expect(parseStartArgs([], 'mediaconvert')).to.deep.equal({ file: undefined, backend: 'mediaconvert' });
    });

    it('names the missing file and refuses an unknown backend', () => {
      const missing = join(dir, 'missing.mp4');

      const noFile = usageErrorOf(() => parseStartArgs([missing], 'mediaconvert'));
      const badBackend = usageErrorOf(() => parseStartArgs(['--transcoder', 'bogus'], 'mediaconvert'));

      expect(noFile.message).to.equal(`${missing} does not exist; give the path of a video file.`);
      expect(badBackend.message).to.contain('got "bogus"');
    });
  });

  describe('npm run redrive', () => {
    it('takes one function, --aws and --max', () => {
      expect(parseRedriveArgs(['transcode-video'])).to.deep.equal({
        help: false,
        functionName: 'transcode-video',
        aws: false,
      });
      expect(parseRedriveArgs(['24hv-dev-transcode-video', '--aws', '--max', '5'])).to.deep.equal({
        help: false,
        functionName: '24hv-dev-transcode-video',
        aws: true,
        max: 5,
      });
    });

    it('asks for exactly one function and a whole --max', () => {
      expect(usageErrorOf(() => parseRedriveArgs([])).message).to.contain('Name exactly one function');
      expect(usageErrorOf(() => parseRedriveArgs(['a', 'b'])).message).to.contain(
        'Name exactly one function',
      );
      expect(usageErrorOf(() => parseRedriveArgs(['a', '--max', '0'])).message).to.equal(
        '--max must be a whole number of messages from 1, got "0".',
      );
    });
  });
});
