import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { BadRequestError } from '#shared/http';
import type { VideoRepository } from '#shared/store';
import {
  checkUploadFields,
  checkVisibility,
  DEFAULT_VISIBILITY,
  extensionOf,
  newVideoId,
  UPLOAD_POLICY_TTL_SECONDS,
  uploadPrefix,
  type Visibility,
} from '#shared/video';

/** A validated `POST /uploads` body. */
export interface UploadRequest {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Public unless the request says otherwise. */
  readonly visibility: Visibility;
}

/** What the browser needs to upload straight to S3. */
export interface UploadTicket {
  readonly videoId: string;
  /** Where to POST the multipart form. */
  readonly url: string;
  /** Form fields to send before the `file` field, verbatim. */
  readonly fields: Record<string, string>;
  /** When S3 stops accepting the POST (ISO 8601). */
  readonly expiresAt: string;
}

export interface CreateUploadDeps {
  readonly repository: Pick<VideoRepository, 'recordUpload'>;
  /** Signs the POST policy with its own credentials: the function's role in Lambda, never a stored key. */
  readonly s3: S3Client;
  readonly uploadBucket: string;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Buffer;
}

/** Default collaborators that are not configuration. */
export const defaultRuntime = { now: () => new Date(), randomBytes } as const;

/** The members a `POST /uploads` body may have. */
export const UPLOAD_REQUEST_FIELDS = ['filename', 'contentType', 'size', 'visibility'] as const;

/** Checks a `POST /uploads` body; every refusal is a 400 that says what to change. */
export function parseUploadRequest(
  body: Record<string, unknown>,
  limits: { maxBytes: number },
): UploadRequest {
  const unknown = Object.keys(body).find(
    (name) => !(UPLOAD_REQUEST_FIELDS as readonly string[]).includes(name),
  );
  if (unknown !== undefined) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `"${unknown}" is not a field of an upload request; send only ${UPLOAD_REQUEST_FIELDS.map((f) => `"${f}"`).join(', ')}.`,
    );
  }
  const { visibility = DEFAULT_VISIBILITY, ...fields } = body;
  const checked = checkUploadFields(fields, limits);
  if (!checked.ok) throw new BadRequestError(checked.problem.code, checked.problem.message);
  const visible = checkVisibility(visibility);
  if (!visible.ok) throw new BadRequestError('INVALID_REQUEST', visible.message);
  return { ...checked.fields, visibility: visible.value };
}

/**
 * The filename as it goes into the S3 key: ASCII letters, digits, `.`, `_` and `-` only, so the
 * key survives every encoding S3 events and URLs apply. The extension is lower-cased because the
 * upload bucket's notification filter matches suffixes case-sensitively. The original name is
 * kept in the video list.
 */
export function safeFilename(filename: string): string {
  const ext = extensionOf(filename).replace(/[^a-z0-9.]/g, '');
  const withoutExt = filename.slice(0, filename.length - extensionOf(filename).length);
  const stem = (withoutExt.split(/[\\/]/).pop() ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100);
  return `${stem || 'video'}${ext}`;
}

/**
 * Issues an upload: records the video as UPLOADED for `ownerId`, then returns a presigned POST
 * whose policy allows exactly one thing: a video/* file of exactly the declared size, at
 * `uploads/<ownerId>/<videoId>/<safe filename>`, within 15 minutes. The size is pinned so the
 * video list can trust it: S3 refuses any other with `EntityTooLarge` or `EntityTooSmall`.
 *
 * The key is fixed by the server (an exact `key` condition, plus a `starts-with` on the prefix):
 * the browser cannot pick its own name, and the recorded source key is the key S3 will announce.
 */
export async function createUpload(
  ownerId: string,
  request: UploadRequest,
  deps: CreateUploadDeps,
): Promise<UploadTicket> {
  const videoId = newVideoId(deps.randomBytes);
  const prefix = uploadPrefix(ownerId, videoId);
  const key = `${prefix}${safeFilename(request.filename)}`;
  const presigned = await createPresignedPost(deps.s3, {
    Bucket: deps.uploadBucket,
    Key: key,
    Conditions: [
      ['content-length-range', request.size, request.size],
      ['starts-with', '$key', prefix],
      ['starts-with', '$Content-Type', 'video/'],
    ],
    Fields: { 'Content-Type': request.contentType },
    Expires: UPLOAD_POLICY_TTL_SECONDS,
  });
  const recorded = await deps.repository.recordUpload({
    videoId,
    ownerId,
    source: { bucket: deps.uploadBucket, key, filename: request.filename, size: request.size },
    visibility: request.visibility,
    now: deps.now(),
  });
  if (!recorded) {
    throw new Error(`Video ${videoId} already exists; a fresh random id collided. Retry the request.`);
  }
  return {
    videoId,
    url: presigned.url,
    fields: presigned.fields,
    expiresAt: policyExpiration(presigned.fields),
  };
}

/** The expiry S3 will enforce, read from the signed policy itself rather than recomputed. */
function policyExpiration(fields: Record<string, string>): string {
  const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
    expiration: string;
  };
  return new Date(policy.expiration).toISOString();
}
