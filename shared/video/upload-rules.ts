/**
 * What an upload must be, and the words used to refuse one. Pure and browser-safe (no Node imports):
 * `create-upload` enforces these rules and the web app checks them before it asks, so the two say the
 * same thing. The API stays the authority. Import it as `#shared/video/upload-rules` from the browser.
 */
import { codePointName, forbiddenCodePoint } from './details.ts';

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

/** Lifetime of an upload policy: S3 refuses the POST after it. */
export const UPLOAD_POLICY_TTL_SECONDS = 15 * 60;

/** The rejection code of an upload whose policy expired before any file arrived (the reconciler records it). */
export const UPLOAD_EXPIRED = 'UPLOAD_EXPIRED';

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

/** Longest filename accepted in an upload request (S3 keys are capped at 1,024 bytes; the rest is ours). */
export const MAX_FILENAME_LENGTH = 255;

/** The fields of an upload request, once checked. */
export interface UploadFields {
  readonly filename: string;
  /** Trimmed. */
  readonly contentType: string;
  readonly size: number;
}

/** Why an upload request was refused: the API's 400 `code` and its message. */
export interface UploadProblem {
  readonly code: 'INVALID_REQUEST' | RejectionReason['code'];
  readonly message: string;
}

/** The outcome of {@link checkUploadFields}. */
export type UploadFieldsCheck =
  | { readonly ok: true; readonly fields: UploadFields }
  | { readonly ok: false; readonly problem: UploadProblem };

/**
 * Checks the fields of an upload request in the API's order: filename, content type, size, then the
 * file itself ({@link checkUpload}). The first problem wins; its message says what to change.
 */
export function checkUploadFields(
  input: { readonly filename?: unknown; readonly contentType?: unknown; readonly size?: unknown },
  limits: { maxBytes: number },
): UploadFieldsCheck {
  const { filename, contentType, size } = input;
  const refuse = (code: UploadProblem['code'], message: string): UploadFieldsCheck => ({
    ok: false,
    problem: { code, message },
  });
  if (typeof filename !== 'string' || filename.trim() === '') {
    return refuse(
      'INVALID_REQUEST',
      '"filename" is required: the name of the file to upload, e.g. "holiday.mp4".',
    );
  }
  if (filename.length > MAX_FILENAME_LENGTH) {
    return refuse(
      'INVALID_REQUEST',
      `"filename" is ${filename.length} characters; use at most ${MAX_FILENAME_LENGTH}.`,
    );
  }
  const forbidden = forbiddenCodePoint(filename);
  if (forbidden !== undefined) {
    return refuse(
      'INVALID_REQUEST',
      `"filename" contains a control character (${codePointName(forbidden)}); rename the file with printable characters.`,
    );
  }
  if (typeof contentType !== 'string' || contentType.trim() === '') {
    return refuse('INVALID_REQUEST', '"contentType" is required: the file\'s MIME type, e.g. "video/mp4".');
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size)) {
    return refuse('INVALID_REQUEST', '"size" is required: the file\'s size in bytes, a whole number.');
  }
  if (!isVideoContentType(contentType)) {
    return refuse(
      'UNSUPPORTED_TYPE',
      `"${contentType}" is not a video content type; only video/* files can be uploaded.`,
    );
  }
  const rejection = checkUpload({ key: filename, size }, limits);
  if (rejection) return refuse(rejection.code, rejection.message);
  return { ok: true, fields: { filename, contentType: contentType.trim(), size } };
}
