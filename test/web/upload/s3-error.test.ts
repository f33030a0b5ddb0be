import { expect } from 'chai';
import { parseS3Error, storageFailure } from '#web/upload/s3-error.ts';
import { s3ErrorXml } from '../../support/fake-xhr.ts';

describe('web upload S3 errors', () => {
  describe('parseS3Error', () => {
    it('reads Code and Message, unescaping XML entities', () => {
      // Act
      const error = parseS3Error(
        s3ErrorXml(
          'AccessDenied',
          'Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;] &amp; &#233;',
        ),
      );

      // Assert
      expect(error).to.deep.equal({
        code: 'AccessDenied',
        message: 'Policy Condition failed: ["starts-with", "$key"] & é',
      });
    });

    it('reads nothing from a body that is not S3 XML', () => {
      expect(parseS3Error('')).to.deep.equal({});
      expect(parseS3Error('<html>gateway timeout</html>')).to.deep.equal({});
    });
  });

  describe('storageFailure', () => {
    it('words each refusal so the user knows what to do', () => {
      expect(storageFailure(400, s3ErrorXml('EntityTooSmall', 'small'))).to.deep.equal({
        message: 'Storage refused the file: it is empty.',
        expired: false,
      });
      expect(
        storageFailure(
          403,
          s3ErrorXml('AccessDenied', 'Invalid according to Policy: Policy Condition failed'),
        ),
      ).to.deep.equal({
        message:
          'Storage refused the upload (AccessDenied: Invalid according to Policy: Policy Condition failed).',
        expired: false,
      });
      expect(storageFailure(503, s3ErrorXml('SlowDown', 'Please reduce your request rate.'))).to.deep.equal({
        message: 'Storage refused the upload (SlowDown: Please reduce your request rate.).',
        expired: false,
      });
      expect(storageFailure(500, 'oops')).to.deep.equal({
        message: 'Storage answered HTTP 500 without saying why. Retry in a moment.',
        expired: false,
      });
    });
  });
});
