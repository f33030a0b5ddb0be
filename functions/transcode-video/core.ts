import type { Logger } from '@aws-lambda-powertools/logger';
import type { RequestDeletion } from '#shared/deletion';
import type { S3ObjectRecord } from '#shared/events';
import {
  claimHolder,
  type Invocation,
  InvalidTranscodeRequestError,
  MAX_JOB_ATTEMPTS,
  type TranscodeRequest,
} from '#shared/jobs';
import type { Claim, VideoRepository, VideoSource } from '#shared/store';
import { JobStartError, type SourceProbe, type Transcoder } from '#shared/transcoder';
import {
  checkUpload,
  chooseRenditions,
  filenameOf,
  type LadderChoice,
  parseUploadKey,
  RENDITIONS,
  type Rendition,
  type RenditionLadder,
  videoIdForUpload,
} from '#shared/video';

/** What the core needs; tests pass fakes. */
export interface TranscodeVideoDeps {
  readonly repository: VideoRepository;
  readonly transcoder: Transcoder;
  readonly maxUploadBytes: number;
  /** `source`: each video gets the renditions its source can fill (probed first); `full`: every one. */
  readonly renditionLadder: RenditionLadder;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Asks `delete-video` to sweep a video that was deleted before this upload or job got to it. */
  readonly requestDeletion: RequestDeletion;
}

/** What became of one upload event or request. */
export type TranscodeOutcome = 'ignored' | 'rejected' | 'duplicate' | 'started' | 'failed' | 'deleted';

type UploadLog = { readonly videoId: string; readonly bucket: string; readonly key: string };

/**
 * Handles one upload: rejects what cannot be transcoded, claims the video for this invocation (so a
 * duplicate event starts nothing), decides its ladder from the source and records it on the item
 * (`expectedRenditions`, once: retries and replacements make the same renditions), starts its one
 * job and records it. The claim stays with the
 * invocation until its deadline: when it fails or dies before the job is recorded, Lambda's retry of
 * the same event (same request id) resumes the claim and starts the job; after the deadline a redrive
 * or the reconciler takes it over. A permanent start failure marks the video FAILED. An upload that
 * arrives for a deleted video, or a job started while the owner deleted it, is never recorded: the
 * job is canceled and `delete-video` is asked to sweep again.
 */
export async function transcodeUpload(
  upload: S3ObjectRecord,
  deps: TranscodeVideoDeps,
  invocation: Invocation,
): Promise<TranscodeOutcome> {
  const videoId = videoIdForUpload(upload);
  const log = { videoId, bucket: upload.bucket, key: upload.key };
  return reportingFailure(log, deps, () => handleUpload(upload, log, deps, invocation));
}

/**
 * Handles a request of another function: `replace-job` gives a video whose job the transcoder failed
 * a new job on the same claim (bounded by {@link MAX_JOB_ATTEMPTS}); `resume-upload` handles an upload
 * again whose claim or job never started, as its own event would.
 */
export async function handleTranscodeRequest(
  request: TranscodeRequest,
  deps: TranscodeVideoDeps,
  invocation: Invocation,
): Promise<TranscodeOutcome> {
  if (request.kind === 'resume-upload') {
    const upload: S3ObjectRecord = {
      eventName: 'ObjectCreated:Resumed',
      bucket: request.bucket,
      key: request.key,
      size: request.size,
      ...(request.versionId !== undefined && { versionId: request.versionId }),
      eventTime: deps.now().toISOString(),
    };
    if (videoIdForUpload(upload) !== request.videoId) {
      throw new InvalidTranscodeRequestError(
        `The resume-upload request for video ${request.videoId} names ${request.bucket}/${request.key}, the upload of another video.`,
      );
    }
    return transcodeUpload(upload, deps, invocation);
  }
  const log = { videoId: request.videoId, failedJobId: request.failedJobId };
  return reportingFailure(log, deps, async () => {
    const claim = await deps.repository.retryJob({
      videoId: request.videoId,
      failedJobId: request.failedJobId,
      holder: claimHolder(invocation),
      maxAttempts: MAX_JOB_ATTEMPTS,
      now: deps.now(),
    });
    const video = claim ? await deps.repository.get(request.videoId) : undefined;
    if (!claim || !video?.source) {
      deps.logger.info('Job already replaced, or the video moved on; nothing to do', log);
      return 'duplicate';
    }
    const { bucket, key } = video.source;
    return startJob({ videoId: request.videoId, bucket, key }, claim, deps, invocation);
  });
}

async function reportingFailure(
  log: Record<string, unknown>,
  deps: TranscodeVideoDeps,
  work: () => Promise<TranscodeOutcome>,
): Promise<TranscodeOutcome> {
  try {
    return await work();
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    deps.logger.error('Not processed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}

async function handleUpload(
  upload: S3ObjectRecord,
  log: UploadLog,
  deps: TranscodeVideoDeps,
  invocation: Invocation,
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

  const claim = await repository.claim({
    videoId,
    source,
    transcoder: transcoder.backend,
    now: deps.now(),
    holder: claimHolder(invocation),
  });
  if (!claim) {
    if (await isDeleted(videoId, deps)) return sweepLateUpload(log, deps);
    logger.info('Video already claimed; duplicate event ignored', log);
    return 'duplicate';
  }
  return startJob(log, claim, deps, invocation);
}

/** Starts the job of a claim this invocation holds and records it. */
async function startJob(
  log: UploadLog,
  claim: Claim,
  deps: TranscodeVideoDeps,
  invocation: Invocation,
): Promise<TranscodeOutcome> {
  const { repository, transcoder, logger } = deps;
  const { videoId } = log;
  if (claim.kind !== 'new') {
    logger.info('Claim without a job resumed; starting its job', {
      ...log,
      claim: claim.kind,
      attempt: claim.attempt,
    });
  }
  let jobId: string;
  try {
    const ladder = await ladderOf(log, claim, deps, invocation);
    if (!ladder) return lostClaim(log, deps);
    jobId = await transcoder.startJob({
      videoId,
      input: { bucket: log.bucket, key: log.key },
      ...(claim.attempt > 1 && { attempt: claim.attempt }),
      renditions: ladder.renditions,
      ...(ladder.source && { source: ladder.source }),
    });
  } catch (error) {
    if (error instanceof JobStartError && error.permanent) {
      await repository.recordFailed(videoId, { errorCode: error.code, reason: error.message }, deps.now());
      logger.error('Transcoding job refused; video marked FAILED', { ...log, error });
      return 'failed';
    }
    // The claim stays this invocation's: Lambda's retry of the same event resumes it.
    logger.warn('Transcoding job could not start; the retry resumes the claim', {
      ...log,
      requestId: invocation.requestId,
    });
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

/**
 * The renditions the claim's job makes, recorded on the item before the job exists so readiness waits
 * for exactly them. Decided once: a claim whose video already has a ladder (a retry, a takeover, a
 * replaced job) keeps it, a replacement of a job started before ladders existed keeps the full one.
 * Otherwise the source is probed (the probe is handed on to the job, so it is read once). Undefined when
 * the claim is no longer this invocation's.
 */
async function ladderOf(
  log: UploadLog,
  claim: Claim,
  deps: TranscodeVideoDeps,
  invocation: Invocation,
): Promise<{ renditions: readonly Rendition[]; source?: SourceProbe } | undefined> {
  if (claim.renditions) return { renditions: claim.renditions };
  let choice: LadderChoice;
  let source: SourceProbe | undefined;
  if (claim.attempt > 1) {
    choice = { renditions: RENDITIONS, fallback: 'the job it replaces was started with every rendition' };
  } else if (deps.renditionLadder === 'full') {
    choice = { renditions: RENDITIONS, fallback: 'RENDITION_LADDER is full' };
  } else {
    source = await deps.transcoder.probeSource({
      videoId: log.videoId,
      input: { bucket: log.bucket, key: log.key },
    });
    choice = source.picture
      ? chooseRenditions(source.picture)
      : { renditions: RENDITIONS, fallback: source.unknown ?? 'the source could not be probed' };
  }
  const renditions = await deps.repository.recordLadder(
    log.videoId,
    claimHolder(invocation).token,
    choice.renditions,
    deps.now(),
  );
  if (!renditions) return undefined;
  deps.logger.info(
    choice.fallback ? `Every rendition, because ${choice.fallback}` : 'Renditions chosen from the source',
    { ...log, renditions, ...(source?.picture && { source: source.picture }) },
  );
  return { renditions, ...(source && { source }) };
}

/** The claim was lost before the job started: to a deletion (swept again), or to another invocation. */
async function lostClaim(log: UploadLog, deps: TranscodeVideoDeps): Promise<TranscodeOutcome> {
  if (await isDeleted(log.videoId, deps)) return sweepLateUpload(log, deps);
  deps.logger.info('Claim no longer held before the job started; nothing started', log);
  return 'duplicate';
}

async function isDeleted(videoId: string, deps: TranscodeVideoDeps): Promise<boolean> {
  return (await deps.repository.get(videoId))?.status === 'DELETED';
}

/** The upload of a deleted video arrived (late, or again): it and anything else left must go. */
async function sweepLateUpload(log: UploadLog, deps: TranscodeVideoDeps): Promise<TranscodeOutcome> {
  await deps.requestDeletion({ videoId: log.videoId, reason: 'late-upload' });
  deps.logger.info('Upload of a deleted video; nothing recorded, sweep requested', log);
  return 'deleted';
}
