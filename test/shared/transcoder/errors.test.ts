import { expect } from 'chai';
import { isTransientJobFailure, JOB_NOT_FOUND, type TranscoderBackend } from '#shared/transcoder';
import { toJobStartError } from '#shared/transcoder/errors';

describe('transcoder errors', () => {
  describe('toJobStartError', () => {
    it('treats an unknown error as retryable and keeps it as the cause', () => {
      // Arrange
      const cause = new TypeError('x is undefined');

      // Act
      const error = toJobStartError(cause, 'Elastic Transcoder', 'Vq3x9ZkT2mB7wLp4sR8yNa');

      // Assert
      expect(error.permanent).to.equal(false);
      expect(error.cause).to.equal(cause);
      expect(error.code).to.equal('TypeError');
      expect(error.message).to.include('may succeed when retried');
    });
  });
});

describe('isTransientJobFailure', () => {
  const failure = (backend: TranscoderBackend, errorCode: string) =>
    ({ backend, state: 'ERROR', errorCode }) as const;

  for (const [backend, code] of [
    ['mediaconvert', '1999'],
    ['mediaconvert', '1550'],
    ['elastic-transcoder', '3000'],
    ['elastic-transcoder', '9000'],
    ['elastic-transcoder', '9999'],
    ['mediaconvert', JOB_NOT_FOUND],
  ] as const) {
    it(`counts ${backend} ${code} as the transcoder's own failure`, () => {
      expect(isTransientJobFailure(failure(backend, code))).to.equal(true);
    });
  }

  for (const [backend, code] of [
    ['mediaconvert', '1010'],
    ['mediaconvert', '1040'],
    ['mediaconvert', '1401'],
    ['elastic-transcoder', '4000'],
    ['elastic-transcoder', '3001'],
    ['elastic-transcoder', '1999'],
  ] as const) {
    it(`counts ${backend} ${code} as the input's or the settings' fault`, () => {
      expect(isTransientJobFailure(failure(backend, code))).to.equal(false);
    });
  }

  it('never counts a job that did not fail', () => {
    expect(isTransientJobFailure({ backend: 'mediaconvert', state: 'CANCELED', errorCode: '1999' })).to.equal(
      false,
    );
  });
});
