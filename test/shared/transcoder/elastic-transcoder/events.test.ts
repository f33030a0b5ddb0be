import { expect } from 'chai';
import { UnrecognizedJobStateError } from '#shared/transcoder';
import { parseElasticTranscoderNotification } from '#shared/transcoder/elastic-transcoder';
import { loadNotification } from '#test/support/fixtures.ts';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('parseElasticTranscoderNotification', () => {
  describe('job states', () => {
    it('parses a COMPLETED notification with every output, its full key, size and duration', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-completed');

      // Act
      const state = parseElasticTranscoderNotification(JSON.stringify(message));

      // Assert
      expect(state).to.deep.equal({
        backend: 'elastic-transcoder',
        jobId: '1764000000000-abc123',
        videoId: VIDEO_ID,
        state: 'COMPLETED',
        percent: 100,
        outputs: [
          {
            rendition: '1080p',
            key: `videos/${VIDEO_ID}/1080p.mp4`,
            width: 1920,
            height: 1080,
            durationSeconds: 12,
          },
          {
            rendition: '720p',
            key: `videos/${VIDEO_ID}/720p.mp4`,
            width: 1280,
            height: 720,
            durationSeconds: 12,
          },
          {
            rendition: 'web-720p',
            key: `videos/${VIDEO_ID}/web-720p.mp4`,
            width: 1280,
            height: 720,
            durationSeconds: 12,
          },
        ],
      });
    });

    it('parses a PROGRESSING notification without progress figures', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-progressing');

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.state).to.equal('PROGRESSING');
      expect(state.percent).to.equal(undefined);
      expect(state.outputs?.map((o) => o.rendition)).to.deep.equal(['1080p', '720p', 'web-720p']);
    });

    it('treats a WARNING as a job still in progress', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-warning');

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.state).to.equal('PROGRESSING');
    });

    it('carries the error code and message of an ERROR notification', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-error');

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.state).to.equal('ERROR');
      expect(state.errorCode).to.equal('4000');
      expect(state.errorMessage).to.equal(
        '4000 b2f4a1c0-0000-4000-8000-000000000000: Amazon Elastic Transcoder could not interpret the media file.',
      );
    });

    it('falls back to the failed output detail when the ERROR has no job-level message', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-error');
      delete message.errorCode;
      delete message.messageDetails;
      const outputs = message.outputs as Record<string, unknown>[];
      outputs[0] = { ...outputs[0], errorCode: 3002, statusDetail: '3002: the object already exists' };

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.errorCode).to.equal('3002');
      expect(state.errorMessage).to.equal('3002: the object already exists');
    });

    it('finds the rendition from the key when the preset is not one of ours', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-completed');
      const outputs = message.outputs as Record<string, unknown>[];
      outputs[1] = { ...outputs[1], presetId: '1351620000001-999999' };

      // Act
      const state = parseElasticTranscoderNotification(message);

      // Assert
      expect(state.outputs?.[1]?.rendition).to.equal('720p');
    });
  });

  describe('bad input', () => {
    it('rejects a message that is not JSON', () => {
      expect(() => parseElasticTranscoderNotification('not json')).to.throw(
        UnrecognizedJobStateError,
        /must be JSON/,
      );
    });

    it('rejects an unknown state', () => {
      // Arrange
      const message = { ...loadNotification('elastic-transcoder-completed'), state: 'DONE' };

      // Act / Assert
      expect(() => parseElasticTranscoderNotification(message)).to.throw(UnrecognizedJobStateError, /"DONE"/);
    });

    it('rejects a job without a jobId', () => {
      // Arrange
      const message = loadNotification('elastic-transcoder-completed');
      delete message.jobId;

      // Act / Assert
      expect(() => parseElasticTranscoderNotification(message)).to.throw(
        UnrecognizedJobStateError,
        /no jobId/,
      );
    });

    it('rejects a job that carries no videoId, naming the job', () => {
      // Arrange
      const message = { ...loadNotification('elastic-transcoder-completed'), userMetadata: {} };

      // Act / Assert
      expect(() => parseElasticTranscoderNotification(message)).to.throw(
        UnrecognizedJobStateError,
        /1764000000000-abc123 carries no valid videoId/,
      );
    });
  });
});
