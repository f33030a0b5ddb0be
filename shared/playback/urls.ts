import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** How long a presigned playback URL stays valid: long enough to watch and seek, short enough not to be a share link. */
export const PLAYBACK_URL_TTL_SECONDS = 3600;

/** Turns a key in the transcoded bucket into a URL a browser can play. */
export interface PlaybackUrls {
  urlFor(key: string): Promise<string>;
}

/** Keys are path segments; encode each so names with spaces or `#` stay one path. */
function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** Playback through the CDN: a stable public URL per key (delivery is configured). */
export function cdnPlaybackUrls(domain: string): PlaybackUrls {
  const base = /^https?:\/\//.test(domain)
    ? domain.replace(/\/+$/, '')
    : `https://${domain.replace(/\/+$/, '')}`;
  return { urlFor: async (key) => `${base}/${encodeKeyPath(key)}` };
}

/** Playback through short-lived presigned GETs on the transcoded bucket (no CDN, e.g. the local cloud). */
export function presignedPlaybackUrls(
  s3: S3Client,
  bucket: string,
  expiresInSeconds: number = PLAYBACK_URL_TTL_SECONDS,
): PlaybackUrls {
  return {
    urlFor: (key) =>
      getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds }),
  };
}

/** CDN URLs when a CDN domain is configured, presigned GETs otherwise. */
export function playbackUrls(options: {
  cdnDomain?: string | undefined;
  s3: S3Client;
  bucket: string;
}): PlaybackUrls {
  return options.cdnDomain
    ? cdnPlaybackUrls(options.cdnDomain)
    : presignedPlaybackUrls(options.s3, options.bucket);
}
