import type { Logger } from '@aws-lambda-powertools/logger';
import type { RequestDeletion } from '#shared/deletion';
import type { S3ObjectRecord } from '#shared/events';
import type { VideoRepository, VideoSource } from '#shared/store';
import { JobStartError, type Transcoder } from '#shared/transcoder';
import { checkUpload, filenameOf, parseUploadKey, videoIdForUpload } from '#shared/video';

/** What the core needs; tests pass fakes. */
export interface TranscodeVideoDeps {
  readonly repository: VideoRepository;
  readonly transcoder: Transcoder;
  readonly maxUploadBytes: number;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Asks `delete-video` to sweep a video that was deleted before this upload or job got to it. */
  readonly requestDeletion: RequestDeletion;
}

/** What became of one upload event. */
export type TranscodeOutcome = 'ignored' | 'rejected' | 'duplicate' | 'started' | 'failed' | 'deleted';

/**
 * Handles one upload: rejects what cannot be transcoded, claims the video (so a duplicate event
 * starts nothing), starts its one job and records it. A transient start failure releases the claim
 * and rethrows, so the retry can claim again; a permanent one marks the video FAILED. An upload that
 * arrives for a deleted video, or a job started while the owner deleted it, is never recorded: the
 * job is canceled and `delete-video` is asked to sweep again.
 */
export async function transcodeUpload(
  upload: S3ObjectRecord,
  deps: TranscodeVideoDeps,
): Promise<TranscodeOutcome> {
  const videoId = videoIdForUpload(upload);
  const log = { videoId, bucket: upload.bucket, key: upload.key };
  try {
    return await handleUpload(upload, log, deps);
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    deps.logger.error('Upload not processed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}

async function handleUpload(
  upload: S3ObjectRecord,
  log: { readonly videoId: string; readonly bucket: string; readonly key: string },
  deps: TranscodeVideoDeps,
): Promise<TranscodeOutcome> {
  const { repository, transcoder, logger } = deps;
  const { videoId } = log;
  if (!upload.eventName.startsWith('ObjectCreated')) {
    logger.info('Ignoring a non-creation event', { ...log, eventName: upload.eventName });
    return 'ignored';
  }
  const source: VideoSource = {
    bucket: upload.bucket,
    key: upload.key,
    filename: parseUploadKey(upload.key)?.filename ?? filenameOf(upload.key),
    size: upload.size,
    ...(upload.versionId !== undefined ? { versionId: upload.versionId } : {}),
  };

  const rejection = checkUpload({ key: upload.key, size: upload.size }, { maxBytes: deps.maxUploadBytes });
  if (rejection) {
    const recorded = await repository.recordRejected({
      videoId,
      source,
      errorCode: rejection.code,
      reason: rejection.message,
      now: deps.now(),
    });
    if (!recorded && (await isDeleted(videoId, deps))) return sweepLateUpload(log, deps);
    logger.warn('Upload rejected', {
      ...log,
      errorCode: rejection.code,
      reason: rejection.message,
      recorded,
    });
    return 'rejected';
  }

  const claimed = await repository.claim({
    videoId,
    source,
    transcoder: transcoder.backend,
    now: deps.now(),
  });
  if (!claimed) {
    if (await isDeleted(videoId, deps)) return sweepLateUpload(log, deps);
    logger.info('Video already claimed; duplicate event ignored', log);
    return 'duplicate';
  }

  let jobId: string;
  try {
    jobId = await transcoder.startJob({ videoId, input: { bucket: upload.bucket, key: upload.key } });
  } catch (error) {
    if (error instanceof JobStartError && error.permanent) {
      await repository.recordFailed(videoId, { errorCode: error.code, reason: error.message }, deps.now());
      logger.error('Transcoding job refused; video marked FAILED', { ...log, error });
      return 'failed';
    }
    // The start error is the one Lambda must retry on; a failed release must not replace it.
    const released = await repository.releaseClaim(videoId).catch((releaseError: unknown) => {
      logger.error('Claim could not be released; the retry will see the video as claimed', {
        ...log,
        error: releaseError,
      });
      return false;
    });
    logger.warn('Transcoding job could not start', { ...log, released });
    throw error;
  }
  const recorded = await repository.recordJobStarted(videoId, jobId, deps.now());
  if (!recorded && (await isDeleted(videoId, deps))) {
    // Deleted between the claim and now: the purge may have run already, so stop the job and sweep again.
    const cancellation = await transcoder.cancelJob(jobId).catch((error: unknown) => {
      logger.error('Job of a deleted video could not be canceled here; delete-video retries', {
        ...log,
        jobId,
        error,
      });
      return 'unknown';
    });
    await deps.requestDeletion({ videoId, jobId, reason: 'late-upload' });
    logger.info('Video deleted while its job started; job canceled, sweep requested', {
      ...log,
      jobId,
      cancellation,
    });
    return 'deleted';
  }
  logger.info('Transcoding job started', { ...log, jobId, transcoder: transcoder.backend, recorded });
  return 'started';
}

async function isDeleted(videoId: string, deps: TranscodeVideoDeps): Promise<boolean> {
  return (await deps.repository.get(videoId))?.status === 'DELETED';
}

/** The upload of a deleted video arrived (late, or again): it and anything else left must go. */
async function sweepLateUpload(
  log: { readonly videoId: string; readonly bucket: string; readonly key: string },
  deps: TranscodeVideoDeps,
): Promise<TranscodeOutcome> {
  await deps.requestDeletion({ videoId: log.videoId, reason: 'late-upload' });
  deps.logger.info('Upload of a deleted video; nothing recorded, sweep requested', log);
  return 'deleted';
}
