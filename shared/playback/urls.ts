import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/**
 * How long a presigned playback URL stays valid: long enough to watch and seek (a player keeps
 * requesting byte ranges with it), short enough not to be a share link.
 */
export const PLAYBACK_URL_TTL_SECONDS = 3600;

/** Turns a key in the transcoded bucket into a URL a browser can play. */
export interface PlaybackUrls {
  /** A URL for an object tagged `visibility=public`: through the CDN when there is one. */
  publicUrl(key: string): Promise<string>;
  /** A short-lived presigned GET, which plays whatever the object's tags: only ever for its owner. */
  privateUrl(key: string): Promise<string>;
}

/** Keys are path segments; encode each so names with spaces or `#` stay one path. */
function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** A presigner of GETs on `bucket`, valid for `expiresInSeconds`. */
function presigner(s3: S3Client, bucket: string, expiresInSeconds: number): (key: string) => Promise<string> {
  return (key) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
}

/** Public playback through the CDN (a stable URL per key); private playback through presigned GETs. */
export function cdnPlaybackUrls(
  domain: string,
  s3: S3Client,
  bucket: string,
  expiresInSeconds: number = PLAYBACK_URL_TTL_SECONDS,
): PlaybackUrls {
  const base = /^https?:\/\//.test(domain)
    ? domain.replace(/\/+$/, '')
    : `https://${domain.replace(/\/+$/, '')}`;
  return {
    publicUrl: async (key) => `${base}/${encodeKeyPath(key)}`,
    privateUrl: presigner(s3, bucket, expiresInSeconds),
  };
}

/** All playback through short-lived presigned GETs on the transcoded bucket (no CDN, e.g. the local cloud). */
export function presignedPlaybackUrls(
  s3: S3Client,
  bucket: string,
  expiresInSeconds: number = PLAYBACK_URL_TTL_SECONDS,
): PlaybackUrls {
  const presign = presigner(s3, bucket, expiresInSeconds);
  return { publicUrl: presign, privateUrl: presign };
}

/** CDN URLs for public objects when a CDN domain is configured, presigned GETs otherwise. */
export function playbackUrls(options: {
  cdnDomain?: string | undefined;
  s3: S3Client;
  bucket: string;
}): PlaybackUrls {
  return options.cdnDomain
    ? cdnPlaybackUrls(options.cdnDomain, options.s3, options.bucket)
    : presignedPlaybackUrls(options.s3, options.bucket);
}
