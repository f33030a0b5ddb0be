import { expect } from 'chai';
import { ApiError, NetworkError } from '#web/api/errors.ts';
import { shouldRetry } from '#web/app/query-client.ts';

describe('web query client', () => {
  describe('shouldRetry', () => {
    it('retries network failures and 5xx twice', () => {
      for (const error of [new NetworkError('offline'), new ApiError(503, 'HTTP_503', 'busy')]) {
        expect([0, 1, 2].map((count) => shouldRetry(count, error))).to.deep.equal([true, true, false]);
      }
    });

    it('never retries a refusal: 400, 404, 401, or an error of the app itself', () => {
      for (const error of [
        new ApiError(400, 'INVALID_REQUEST', 'no'),
        new ApiError(404, 'NOT_FOUND', 'gone'),
        new ApiError(401, 'UNAUTHORIZED', 'sign in'),
        new TypeError('x is undefined'),
      ]) {
        expect(shouldRetry(0, error)).to.equal(false);
      }
    });
  });
});
