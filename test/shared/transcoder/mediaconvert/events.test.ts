import { expect } from 'chai';
import fc from 'fast-check';
import { UnrecognizedJobStateError } from '#shared/transcoder';
import { keyOfS3Url, parseMediaConvertEvent, s3Url } from '#shared/transcoder/mediaconvert';
import { loadEventFixture } from '#test/support/fixtures.ts';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const JOB_ID = '1764000000123-mc7q2k';

type MediaConvertEvent = { 'detail-type': string; source: string; detail: Record<string, unknown> };

describe('parseMediaConvertEvent', () => {
  describe('COMPLETE', () => {
    it('lists every rendition with its key, size and duration, and the poster key apart', () => {
      // Arrange
      const event = loadEventFixture('mediaconvert-complete');

      // Act
      const state = parseMediaConvertEvent(event);

      // Assert
      expect(state).to.deep.equal({
        backend: 'mediaconvert',
        jobId: JOB_ID,
        videoId: VIDEO_ID,
        state: 'COMPLETED',
        percent: 100,
        outputs: [
          {
            rendition: '1080p',
            key: `videos/${VIDEO_ID}/1080p.mp4`,
            width: 1920,
            height: 1080,
            durationSeconds: 12.04,
          },
          {
            rendition: '720p',
            key: `videos/${VIDEO_ID}/720p.mp4`,
            width: 1280,
            height: 720,
            durationSeconds: 12.04,
          },
          {
            rendition: 'web-720p',
            key: `videos/${VIDEO_ID}/web-720p.mp4`,
            width: 1280,
            height: 720,
            durationSeconds: 12.04,
          },
        ],
        posterKey: `videos/${VIDEO_ID}/poster.0000000.jpg`,
      });
    });

    it('has no poster key when no frame was captured', () => {
      // Arrange
      const event = loadEventFixture<MediaConvertEvent>('mediaconvert-complete');
      (event.detail.outputGroupDetails as unknown[]).pop();

      // Act
      const state = parseMediaConvertEvent(event);

      // Assert
      expect(state.posterKey).to.equal(undefined);
      expect(state.outputs).to.have.length(3);
    });
  });

  describe('ERROR', () => {
    it('carries MediaConvert error code and message', () => {
      // Act
      const state = parseMediaConvertEvent(loadEventFixture('mediaconvert-error'));

      // Assert
      expect(state).to.deep.equal({
        backend: 'mediaconvert',
        jobId: JOB_ID,
        videoId: VIDEO_ID,
        state: 'ERROR',
        errorCode: '1010',
        errorMessage: `Unable to open input file [s3://24-hour-video-dev-uploads/uploads/user-1/${VIDEO_ID}/broken clip.mp4]: [Failed probe/open: [No parser found for container]]`,
      });
    });

    it('still reports an error when MediaConvert gave no code or message', () => {
      // Arrange
      const event = loadEventFixture<MediaConvertEvent>('mediaconvert-error');
      delete event.detail.errorCode;
      delete event.detail.errorMessage;

      // Act
      const state = parseMediaConvertEvent(event);

      // Assert
      expect(state.state).to.equal('ERROR');
      expect(state.errorCode).to.equal('UNKNOWN');
      expect(state.errorMessage).to.match(/without a message/);
    });
  });

  describe('CANCELED', () => {
    it('is a canceled state of the video', () => {
      expect(parseMediaConvertEvent(loadEventFixture('mediaconvert-canceled'))).to.deep.equal({
        backend: 'mediaconvert',
        jobId: JOB_ID,
        videoId: VIDEO_ID,
        state: 'CANCELED',
      });
    });
  });

  describe('progress', () => {
    it('reads PROGRESSING as running without a percentage', () => {
      expect(parseMediaConvertEvent(loadEventFixture('mediaconvert-progressing'))).to.deep.equal({
        backend: 'mediaconvert',
        jobId: JOB_ID,
        videoId: VIDEO_ID,
        state: 'PROGRESSING',
      });
    });

    it('reads STATUS_UPDATE as running with jobPercentComplete', () => {
      expect(parseMediaConvertEvent(loadEventFixture('mediaconvert-status-update'))).to.deep.equal({
        backend: 'mediaconvert',
        jobId: JOB_ID,
        videoId: VIDEO_ID,
        state: 'PROGRESSING',
        percent: 42,
      });
    });
  });

  describe('events it refuses', () => {
    it('refuses a job without a videoId in its user metadata', () => {
      // Arrange
      const event = loadEventFixture<MediaConvertEvent>('mediaconvert-complete');
      event.detail.userMetadata = {};

      // Act / Assert
      expect(() => parseMediaConvertEvent(event)).to.throw(
        UnrecognizedJobStateError,
        /not started by this system/,
      );
    });

    it('refuses an unknown status, naming it', () => {
      // Arrange
      const event = loadEventFixture<MediaConvertEvent>('mediaconvert-progressing');
      event.detail.status = 'EXPLODED';

      // Act / Assert
      expect(() => parseMediaConvertEvent(event)).to.throw(UnrecognizedJobStateError, /"EXPLODED"/);
    });

    it('refuses other MediaConvert event types', () => {
      // Arrange
      const event = loadEventFixture<MediaConvertEvent>('mediaconvert-progressing');
      event['detail-type'] = 'MediaConvert Queue Hop';

      // Act / Assert
      expect(() => parseMediaConvertEvent(event)).to.throw(UnrecognizedJobStateError, /Queue Hop/);
    });

    it('refuses events from other sources', () => {
      expect(() => parseMediaConvertEvent({ source: 'aws.s3', detail: {} })).to.throw(
        UnrecognizedJobStateError,
        /aws\.mediaconvert/,
      );
    });
  });

  describe('keyOfS3Url', () => {
    it('gives back exactly the key the adapter put in the URL, whatever its characters', () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[a-z0-9][a-z0-9.-]{2,62}$/),
          fc.string({ minLength: 1, unit: 'grapheme' }),
          (bucket, key) => {
            expect(keyOfS3Url(s3Url(bucket, key))).to.equal(key);
          },
        ),
      );
    });
  });
});
