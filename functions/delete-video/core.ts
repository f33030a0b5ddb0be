import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { DeletionRequest } from '#shared/deletion';
import { reportingFailure } from '#shared/log';
import type { Video, VideoRepository } from '#shared/store';
import type { JobCancellation, JobCanceller } from '#shared/transcoder';
import { outputPrefix, parseUploadKey, uploadPrefix, VIDEO_STATUS } from '#shared/video';

/** Most keys one DeleteObjects request takes. */
export const DELETE_BATCH_SIZE = 1000;

/** What the core needs; tests pass fakes. */
export interface DeleteVideoDeps {
  readonly repository: Pick<VideoRepository, 'get' | 'markPurged'>;
  readonly s3: Pick<S3Client, 'send'>;
  readonly uploadBucket: string;
  readonly transcodedBucket: string;
  readonly canceller: JobCanceller;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long to wait for a job that can no longer be canceled to end: `attempts` checks, `delayMs` apart. */
  readonly jobWait: { readonly attempts: number; readonly delayMs: number };
}

/** Default collaborators that are not configuration. */
export const defaultRuntime = {
  now: () => new Date(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  jobWait: { attempts: 10, delayMs: 3000 },
} as const;

/**
 * What became of one request: `purged` (everything removed, tombstone marked), `swept` (removed what
 * was left of a tombstone already marked), `not-deleted` (the video is not a tombstone: nothing
 * touched) or `expired` (no item any more: nothing known to remove).
 */
export type DeleteVideoOutcome = 'purged' | 'swept' | 'not-deleted' | 'expired';

/** A job of the deleted video is still running; what it writes later is swept when it ends. Retryable. */
export class JobStillRunningError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobStillRunningError';
  }
}

/** S3 refused to delete some versions; the message names the first. Retryable. */
export class PurgeIncompleteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PurgeIncompleteError';
  }
}

/** One place objects of a video live: every version under a prefix ending in `/`, or one exact key. */
export type PurgeTarget =
  | { readonly bucket: string; readonly prefix: string }
  | { readonly bucket: string; readonly key: string; readonly versionId?: string };

/**
 * Where a tombstone's objects are, and nowhere else: its outputs under `videos/<videoId>/`, and its
 * upload under `uploads/<owner>/<videoId>/` when the API issued it (the key says so and names the
 * recorded owner), or exactly its recorded key and version otherwise. Prefixes end in `/`, so
 * `videos/abc/` never matches `videos/abcd…`. An upload recorded in another bucket is left alone.
 */
export function purgeTargets(video: Video, buckets: { upload: string; transcoded: string }): PurgeTarget[] {
  const targets: PurgeTarget[] = [{ bucket: buckets.transcoded, prefix: outputPrefix(video.videoId) }];
  const source = video.source;
  if (!source || source.bucket !== buckets.upload) return targets;
  const issued = parseUploadKey(source.key);
  if (
    issued &&
    issued.videoId === video.videoId &&
    video.ownerId !== undefined &&
    issued.userId === video.ownerId
  ) {
    targets.push({ bucket: source.bucket, prefix: uploadPrefix(video.ownerId, video.videoId) });
  } else {
    targets.push({
      bucket: source.bucket,
      key: source.key,
      ...(source.versionId !== undefined ? { versionId: source.versionId } : {}),
    });
  }
  return targets;
}

/**
 * Purges a deleted video, idempotently: cancels its job (and waits, bounded, for one that can no
 * longer be canceled), deletes every version and delete marker of its upload and outputs, then marks
 * the tombstone purged. Only a DELETED tombstone is ever purged. A job still running after the wait
 * leaves the tombstone unmarked and throws, so Lambda retries; its end also triggers a sweep.
 */
export async function purgeVideo(
  request: DeletionRequest,
  deps: DeleteVideoDeps,
): Promise<DeleteVideoOutcome> {
  const log = { videoId: request.videoId, reason: request.reason };
  return reportingFailure(deps.logger, 'Purge incomplete; rethrown so Lambda retries', log, () =>
    purge(request, log, deps),
  );
}

async function purge(
  request: DeletionRequest,
  log: Record<string, unknown>,
  deps: DeleteVideoDeps,
): Promise<DeleteVideoOutcome> {
  const { logger } = deps;
  const video = await deps.repository.get(request.videoId);
  if (!video) {
    logger.warn('No tombstone any more; nothing known to remove', log);
    return 'expired';
  }
  if (video.status !== VIDEO_STATUS.DELETED) {
    logger.error('Asked to purge a video that is not deleted; nothing touched', {
      ...log,
      status: video.status,
    });
    return 'not-deleted';
  }

  const jobs = [...new Set([request.jobId, video.jobId].filter((id): id is string => id !== undefined))];
  const running: string[] = [];
  for (const jobId of jobs) {
    if (video.transcoder !== undefined && video.transcoder !== deps.canceller.backend) {
      logger.warn('Job of another transcoder backend; not canceled', {
        ...log,
        jobId,
        transcoder: video.transcoder,
      });
      continue;
    }
    const state = await stopJob(jobId, deps);
    logger.info('Job stopped', { ...log, jobId, state });
    if (state === 'running') running.push(jobId);
  }

  let removed = 0;
  for (const target of purgeTargets(video, {
    upload: deps.uploadBucket,
    transcoded: deps.transcodedBucket,
  })) {
    removed += await deleteVersions(target, await listVersions(target, deps), deps);
  }
  if (running.length > 0) {
    throw new JobStillRunningError(
      `Video ${video.videoId}: job ${running.join(', ')} is still running and cannot be canceled; removed ${removed} versions so far, the rest is swept when it ends or on retry.`,
    );
  }
  const marked = await deps.repository.markPurged(video.videoId, deps.now());
  logger.info('Video purged', { ...log, removed, marked });
  return marked ? 'purged' : 'swept';
}

/** Cancels a job, then waits (bounded) while it is running and past canceling. */
async function stopJob(jobId: string, deps: DeleteVideoDeps): Promise<JobCancellation> {
  let state = await deps.canceller.cancelJob(jobId);
  for (let attempt = 0; state === 'running' && attempt < deps.jobWait.attempts; attempt++) {
    await deps.sleep(deps.jobWait.delayMs);
    state = await deps.canceller.cancelJob(jobId);
  }
  return state;
}

/** Every version and delete marker of a target, over as many ListObjectVersions pages as there are. */
async function listVersions(target: PurgeTarget, deps: DeleteVideoDeps): Promise<ObjectIdentifier[]> {
  const prefix = 'prefix' in target ? target.prefix : target.key;
  const belongs = (key: string | undefined): key is string =>
    key !== undefined && ('prefix' in target ? key.startsWith(target.prefix) : key === target.key);
  const found: ObjectIdentifier[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await deps.s3.send(
      new ListObjectVersionsCommand({
        Bucket: target.bucket,
        Prefix: prefix,
        ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
        ...(versionIdMarker !== undefined ? { VersionIdMarker: versionIdMarker } : {}),
      }),
    );
    for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      // Listing is by prefix; an exact key also matches longer keys that start with it.
      if (!belongs(entry.Key)) continue;
      if ('key' in target && target.versionId !== undefined && entry.VersionId !== target.versionId) continue;
      found.push({
        Key: entry.Key,
        ...(entry.VersionId !== undefined ? { VersionId: entry.VersionId } : {}),
      });
    }
    if (!page.IsTruncated) return found;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
    if (keyMarker === undefined) {
      throw new PurgeIncompleteError(
        `ListObjectVersions of ${target.bucket}/${prefix} was truncated without a next marker.`,
      );
    }
  }
}

/** Deletes exact versions in batches; any version S3 refuses fails the purge (it is retried). */
async function deleteVersions(
  target: PurgeTarget,
  versions: readonly ObjectIdentifier[],
  deps: DeleteVideoDeps,
): Promise<number> {
  for (let start = 0; start < versions.length; start += DELETE_BATCH_SIZE) {
    const batch = versions.slice(start, start + DELETE_BATCH_SIZE);
    const { Errors = [] } = await deps.s3.send(
      new DeleteObjectsCommand({ Bucket: target.bucket, Delete: { Objects: batch, Quiet: true } }),
    );
    const [first] = Errors;
    if (first) {
      throw new PurgeIncompleteError(
        `S3 refused to delete ${Errors.length} of ${batch.length} versions in ${target.bucket}, first ${first.Key} (${first.VersionId ?? 'no version'}): ${first.Code} ${first.Message}.`,
      );
    }
  }
  return versions.length;
}
