/** File extensions accepted as video uploads (lower case, with the dot). The upload bucket notifies only for these. */
export const ACCEPTED_EXTENSIONS = [
  '.mp4',
  '.mov',
  '.m4v',
  '.mkv',
  '.webm',
  '.avi',
  '.mpg',
  '.mpeg',
  '.3gp',
  '.mts',
] as const;

/** Why an upload was rejected before any transcoding. */
export type RejectionReason = { code: 'UNSUPPORTED_TYPE' | 'EMPTY_FILE' | 'TOO_LARGE'; message: string };

/** The extension of a key's last path segment, lower case with the dot ('' when none). Only the last dot counts. */
export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** The filename of a key: its last path segment. */
export function filenameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** True when a content type names a video (`video/...`). */
export function isVideoContentType(contentType: string): boolean {
  return /^video\/[a-z0-9.+-]+$/i.test(contentType.trim());
}

/** Decides whether an upload may be transcoded: accepted type, not empty, within `maxBytes`. */
export function checkUpload(
  upload: { key: string; size: number },
  limits: { maxBytes: number },
): RejectionReason | undefined {
  const ext = extensionOf(upload.key);
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext)) {
    return {
      code: 'UNSUPPORTED_TYPE',
      message: `"${filenameOf(upload.key)}" is not a supported video type (${ext || 'no extension'}); upload one of ${ACCEPTED_EXTENSIONS.join(', ')}.`,
    };
  }
  if (upload.size <= 0) {
    return {
      code: 'EMPTY_FILE',
      message: `"${filenameOf(upload.key)}" is empty (0 bytes); upload the file again.`,
    };
  }
  if (upload.size > limits.maxBytes) {
    return {
      code: 'TOO_LARGE',
      message: `"${filenameOf(upload.key)}" is ${upload.size} bytes, over the ${limits.maxBytes}-byte limit.`,
    };
  }
  return undefined;
}
