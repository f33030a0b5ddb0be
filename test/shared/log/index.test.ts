import { expect } from 'chai';
import sinon from 'sinon';
import { createLogger, forVideo, type Logger, reportingFailure } from '#shared/log';

/** Runs `act` with stdout and stderr captured and returns the JSON lines Powertools wrote, in order. */
function captureLines(act: () => void): Record<string, unknown>[] {
  const chunks: string[] = [];
  const sandbox = sinon.createSandbox();
  for (const stream of [process.stdout, process.stderr]) {
    sandbox.stub(stream, 'write').callsFake((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  }
  try {
    act();
  } finally {
    sandbox.restore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('unit', () => {
  describe('log', () => {
    let logger: Logger;

    beforeEach(() => {
      logger = createLogger('transcode-video', { logLevel: 'INFO' });
    });

    it('writes structured JSON lines named after the service', () => {
      const [line] = captureLines(() => logger.info('started'));

      expect(line).to.include({ level: 'INFO', message: 'started', service: 'transcode-video' });
    });

    it('puts the videoId on every line of a video-scoped logger, errors included', () => {
      const video = forVideo(logger, 'AbCdEfGhIjKlMnOpQrStUv', { jobId: 'job-1' });

      const lines = captureLines(() => {
        video.info('claimed');
        video.error('job failed', new Error('boom'));
      });

      expect(lines).to.have.length(2);
      for (const line of lines) {
        expect(line).to.include({
          videoId: 'AbCdEfGhIjKlMnOpQrStUv',
          jobId: 'job-1',
          service: 'transcode-video',
        });
      }
      expect(lines[1]?.error).to.include({ name: 'Error', message: 'boom' });
    });

    it('leaves the parent logger without the videoId, so records of other videos do not inherit it', () => {
      forVideo(logger, 'AbCdEfGhIjKlMnOpQrStUv');

      const [line] = captureLines(() => logger.info('next record'));

      expect(line).not.to.have.property('videoId');
    });

    it('does not let extra keys override the videoId', () => {
      const video = forVideo(logger, 'right-id', { videoId: 'wrong-id' });

      const [line] = captureLines(() => video.info('x'));

      expect(line).to.include({ videoId: 'right-id' });
    });
  });

  describe('reportingFailure', () => {
    it('returns what the work returns and logs nothing', async () => {
      // Arrange
      const logger = { error: sinon.spy() };

      // Act
      const result = await reportingFailure(logger, 'Failed', { videoId: 'v' }, async () => 'done');

      // Assert
      expect(result).to.equal('done');
      expect(logger.error.called).to.equal(false);
    });

    it('logs the message with the fields and the error, then rethrows the same error', async () => {
      // Arrange
      const logger = { error: sinon.spy() };
      const failure = new Error('throttled');

      // Act
      const thrown = await reportingFailure(logger, 'Failed; rethrown', { videoId: 'v', key: 'k' }, () =>
        Promise.reject(failure),
      ).then(
        () => undefined,
        (error: unknown) => error,
      );

      // Assert
      expect(thrown).to.equal(failure);
      expect(logger.error.args).to.deep.equal([
        ['Failed; rethrown', { videoId: 'v', key: 'k', error: failure }],
      ]);
    });
  });
});
