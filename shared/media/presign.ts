import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/**
 * A presigned HTTPS GET URL of one object, valid for `expiresInSeconds`. ffprobe reads only the
 * byte ranges it needs through it, so nothing is downloaded to /tmp.
 */
export function presignGetUrl(
  s3Client: S3Client,
  bucket: string,
  key: string,
  expiresInSeconds: number,
): Promise<string> {
  return getSignedUrl(s3Client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: expiresInSeconds,
  });
}
