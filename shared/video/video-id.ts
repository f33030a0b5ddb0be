import { createHash } from 'node:crypto';

/** A video id: 22 URL-safe characters (base64url, 128 bits). */
export const VIDEO_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** True when `value` has the shape of a video id. */
export function isVideoId(value: string): boolean {
  return VIDEO_ID_PATTERN.test(value);
}

/**
 * The id of the video an upload belongs to. Uploads issued by the API live at
 * `uploads/<userId>/<videoId>/<filename>` and carry their id; any other upload gets an id
 * derived from bucket, key and version, so every duplicate event of one upload maps to one video.
 */
export function videoIdForUpload(upload: {
  bucket: string;
  key: string;
  versionId?: string | undefined;
}): string {
  const issued = parseUploadKey(upload.key);
  if (issued) return issued.videoId;
  return createHash('sha256')
    .update(`${upload.bucket}\n${upload.key}\n${upload.versionId ?? ''}`)
    .digest('base64url')
    .slice(0, 22);
}

/** A fresh random video id, for uploads the API issues before the file exists. */
export function newVideoId(random: (size: number) => Buffer): string {
  return random(16).toString('base64url');
}

/** Prefix under which the API lets user `userId` upload video `videoId`. */
export function uploadPrefix(userId: string, videoId: string): string {
  return `uploads/${userId}/${videoId}/`;
}

/** The owner and id encoded in an API-issued upload key, or undefined for any other key. */
export function parseUploadKey(
  key: string,
): { userId: string; videoId: string; filename: string } | undefined {
  const match = /^uploads\/([^/]+)\/([A-Za-z0-9_-]{22})\/(.+)$/.exec(key);
  if (!match) return undefined;
  const [, userId, videoId, filename] = match as unknown as [string, string, string, string];
  return { userId, videoId, filename };
}
