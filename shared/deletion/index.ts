import { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeAsync } from '#shared/invoke';
import { isObject } from '#shared/json';
import { isVideoId } from '#shared/video';

/**
 * How long a DELETED tombstone outlives the deletion before DynamoDB's TTL removes it: longer than
 * any late event can arrive (Lambda retries async events for up to 6 hours, and a dead-letter queue
 * keeps them 14 days for a redrive), so every late event still finds the tombstone and changes nothing.
 */
export const TOMBSTONE_TTL_SECONDS = 15 * 24 * 3600;

/** The tombstone's TTL value for a deletion at `now`: epoch seconds, as DynamoDB's TTL reads it. */
export function tombstoneExpiry(now: Date): number {
  return Math.floor(now.getTime() / 1000) + TOMBSTONE_TTL_SECONDS;
}

/** Why `delete-video` is asked to purge a video. */
export const DELETION_REASONS = ['requested', 'late-upload', 'late-job', 'late-output', 'unpurged'] as const;

/**
 * One of {@link DELETION_REASONS}: the owner's request, a late event that may have left an object
 * behind, or a tombstone the reconciler found never purged.
 */
export type DeletionReason = (typeof DELETION_REASONS)[number];

/** The event `delete-video` receives. */
export interface DeletionRequest {
  readonly videoId: string;
  /** A job that may still be running for the video (one the tombstone may not know of). */
  readonly jobId?: string;
  readonly reason: DeletionReason;
}

/** A `delete-video` event that is not a {@link DeletionRequest}; retrying cannot fix it. */
export class InvalidDeletionRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidDeletionRequestError';
  }
}

/** Checks a `delete-video` event; throws {@link InvalidDeletionRequestError} naming what is wrong. */
export function parseDeletionRequest(event: unknown): DeletionRequest {
  if (!isObject(event)) {
    throw new InvalidDeletionRequestError(
      'A deletion request must be an object { videoId, reason, jobId? }.',
    );
  }
  const { videoId, jobId, reason } = event;
  if (typeof videoId !== 'string' || !isVideoId(videoId)) {
    throw new InvalidDeletionRequestError(
      `A deletion request needs a videoId of 22 base64url characters, got ${JSON.stringify(videoId)}.`,
    );
  }
  if (!(DELETION_REASONS as readonly unknown[]).includes(reason)) {
    throw new InvalidDeletionRequestError(
      `A deletion request's reason must be one of ${DELETION_REASONS.join(', ')}, got ${JSON.stringify(reason)}.`,
    );
  }
  if (jobId !== undefined && (typeof jobId !== 'string' || jobId === '')) {
    throw new InvalidDeletionRequestError(`A deletion request's jobId must be a non-empty string.`);
  }
  return { videoId, reason: reason as DeletionReason, ...(jobId !== undefined ? { jobId } : {}) };
}

/** Asks `delete-video` to purge a video; resolves once Lambda has accepted the event. */
export type RequestDeletion = (request: DeletionRequest) => Promise<void>;

/**
 * A {@link RequestDeletion} that invokes `functionName` asynchronously (`InvocationType: 'Event'`),
 * so the purge runs with that function's retries and dead-letter queue, not in the caller's time.
 */
export function deletionRequester(
  functionName: string,
  client: Pick<LambdaClient, 'send'> = new LambdaClient({}),
): RequestDeletion {
  return (request) =>
    invokeAsync(client, functionName, request, `the deletion request for video ${request.videoId}`);
}
