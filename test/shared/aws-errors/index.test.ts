import { expect } from 'chai';
import {
  awsErrorName,
  classifyAwsError,
  isAwsError,
  isPermanentAwsError,
  isTransientAwsError,
} from '#shared/aws-errors';

function awsError(name: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(name), { name, ...fields });
}

describe('AWS error classification', () => {
  describe('classifyAwsError', () => {
    const cases: Array<[string, unknown, string]> = [
      [
        'a throttling error by name',
        awsError('ThrottlingException', { $metadata: { httpStatusCode: 400 } }),
        'transient',
      ],
      [
        'a 5xx',
        awsError('InternalServiceException', { $fault: 'server', $metadata: { httpStatusCode: 500 } }),
        'transient',
      ],
      ['a 429', awsError('LimitExceeded', { $metadata: { httpStatusCode: 429 } }), 'transient'],
      [
        'an error the SDK marks retryable',
        awsError('Whatever', { $retryable: {}, $fault: 'client' }),
        'transient',
      ],
      ['a network reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
      ['an SDK timeout', awsError('TimeoutError', {}), 'transient'],
      [
        'a validation error',
        awsError('ValidationException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }),
        'permanent',
      ],
      [
        'a missing pipeline',
        awsError('ResourceNotFoundException', { $metadata: { httpStatusCode: 404 } }),
        'permanent',
      ],
      ['a plain bug', new TypeError('x is undefined'), 'unknown'],
      ['a thrown string', 'boom', 'unknown'],
    ];
    for (const [what, error, kind] of cases) {
      it(`calls ${what} ${kind}`, () => {
        expect(classifyAwsError(error)).to.equal(kind);
        expect(isTransientAwsError(error)).to.equal(kind === 'transient');
        expect(isPermanentAwsError(error)).to.equal(kind === 'permanent');
      });
    }
  });

  describe('awsErrorName and isAwsError', () => {
    it('reads the name of an SDK error and matches it against the names given', () => {
      // Arrange
      const error = awsError('NoSuchKey', { $metadata: { httpStatusCode: 404 } });

      // Act
      const name = awsErrorName(error);

      // Assert
      expect(name).to.equal('NoSuchKey');
      expect(isAwsError(error, 'NotFound', 'NoSuchKey')).to.equal(true);
      expect(isAwsError(error, 'AccessDenied')).to.equal(false);
    });

    it('matches nothing that is not an Error', () => {
      expect(awsErrorName('boom')).to.equal(undefined);
      expect(isAwsError({ name: 'NoSuchKey' }, 'NoSuchKey')).to.equal(false);
    });
  });
});
