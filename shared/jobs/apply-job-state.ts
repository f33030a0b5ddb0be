import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RequestDeletion } from '#shared/deletion';
import { reportingFailure } from '#shared/log';
import { syncVisibility, withholdOutputs } from '#shared/media';
import { POSTER_TARGET, type VideoRepository } from '#shared/store';
import { isTransientJobFailure, type JobState } from '#shared/transcoder';
import { VIDEO_STATUS } from '#shared/video';
import { MAX_JOB_ATTEMPTS, type RequestTranscode } from './requests.ts';

/** What {@link applyJobState} needs; tests pass fakes. */
export interface ApplyJobStateDeps {
  readonly repository: VideoRepository;
  readonly s3: Pick<S3Client, 'send'>;
  /** The transcoded bucket, where the poster frame and every output land. */
  readonly bucket: string;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Asks `delete-video` to sweep a deleted video whose job has just ended. */
  readonly requestDeletion: RequestDeletion;
  /** Asks `transcode-video` to replace a job the transcoder failed for reasons of its own. */
  readonly requestTranscode: RequestTranscode;
}

/** What became of one job state. */
export type JobStateOutcome =
  | 'progress'
  | 'completed'
  | 'ready'
  | 'failed'
  | 'deleted'
  /** The job failed for the transcoder's own reasons; `transcode-video` was asked for a new one. */
  | 'replacing'
  /** The state of a job the video no longer follows (replaced, or never its job): nothing changed. */
  | 'ignored';

/** The backend's name as people know it, for reasons shown in the video list. */
const BACKEND_NAMES = { mediaconvert: 'MediaConvert', 'elastic-transcoder': 'Elastic Transcoder' } as const;

/**
 * Applies one job state to its video through the repository's guarded transitions: progress,
 * completion (the poster tagged as the video's visibility says, then the READY attempt), or failure.
 * A failure of the transcoder's own (an internal error, storage unavailable) is not the input's
 * fault: while attempts remain, `transcode-video` replaces the job and the video stays TRANSCODING;
 * after the last, the video is FAILED with a reason that says so. A failure caused by the input is
 * FAILED at once with the transcoder's own code and message. A FAILED video's outputs are untagged,
 * so nothing it wrote is served; its upload is kept. When a job ends for a video deleted meanwhile,
 * nothing is written and `delete-video` is asked to sweep what the job wrote. `transcode-status` applies
 * the states the transcoder announces, the reconciler the ones it reads back from the transcoder.
 */
export async function applyJobState(state: JobState, deps: ApplyJobStateDeps): Promise<JobStateOutcome> {
  const log = { videoId: state.videoId, jobId: state.jobId, transcoder: state.backend, state: state.state };
  return reportingFailure(deps.logger, 'Applying the job state failed; rethrown so Lambda retries', log, () =>
    applyState(state, log, deps),
  );
}

async function applyState(
  state: JobState,
  log: Record<string, unknown>,
  deps: ApplyJobStateDeps,
): Promise<JobStateOutcome> {
  const { repository, logger } = deps;
  const { videoId } = state;
  switch (state.state) {
    case 'PROGRESSING': {
      const recorded = await repository.recordProgress(videoId, state.percent ?? 0, deps.now());
      logger.info('Job progressing', { ...log, percent: state.percent, recorded });
      return 'progress';
    }
    case 'COMPLETED': {
      if (state.posterKey) {
        // The delivery policy serves only tagged objects, and no S3 trigger watches .jpg outputs.
        const poster = await syncVisibility(videoId, POSTER_TARGET, state.posterKey, deps);
        if (poster.outcome === 'deleted') return sweep(state, log, deps);
      }
      const recorded = await repository.recordJobCompleted(
        videoId,
        { jobId: state.jobId, ...(state.posterKey ? { posterKey: state.posterKey } : {}) },
        deps.now(),
      );
      const ready = await repository.tryMarkReady(videoId, deps.now());
      if (!recorded && (await isDeleted(videoId, deps))) return sweep(state, log, deps);
      logger.info('Job completed', { ...log, recorded, ready });
      return ready ? 'ready' : 'completed';
    }
    case 'ERROR':
    case 'CANCELED': {
      if (isTransientJobFailure(state)) {
        const replaced = await replaceJob(state, log, deps);
        if (replaced) return replaced;
      }
      return fail(state, log, deps);
    }
  }
}

/**
 * Asks for a new job when the failed one is the video's current job and attempts remain; resolves to
 * undefined when the video must fail instead (the last attempt failed).
 */
async function replaceJob(
  state: JobState,
  log: Record<string, unknown>,
  deps: ApplyJobStateDeps,
): Promise<JobStateOutcome | undefined> {
  const { videoId, jobId } = state;
  const video = await deps.repository.get(videoId);
  if (video?.status === VIDEO_STATUS.DELETED) return sweep(state, log, deps);
  const current =
    video?.status === VIDEO_STATUS.TRANSCODING &&
    !video.retiredJobIds?.includes(jobId) &&
    (video.jobId === jobId || (video.jobId === undefined && video.claimToken !== undefined));
  if (!video || !current) {
    deps.logger.warn('Failure of a job the video no longer follows; nothing changed', {
      ...log,
      status: video?.status,
      currentJobId: video?.jobId,
    });
    return 'ignored';
  }
  const attempt = video.jobAttempt ?? 1;
  if (attempt >= MAX_JOB_ATTEMPTS) return undefined;
  // A job that failed before transcode-video recorded it: record it, so it can be replaced.
  if (video.jobId === undefined && !(await deps.repository.recordJobStarted(videoId, jobId, deps.now()))) {
    return 'ignored';
  }
  await deps.requestTranscode({ kind: 'replace-job', videoId, failedJobId: jobId });
  deps.logger.warn('Job failed for the transcoder’s own reasons; a new job was requested', {
    ...log,
    attempt,
    errorCode: state.errorCode,
    reason: state.errorMessage,
  });
  return 'replacing';
}

async function fail(
  state: JobState,
  log: Record<string, unknown>,
  deps: ApplyJobStateDeps,
): Promise<JobStateOutcome> {
  const { repository, logger } = deps;
  const { videoId } = state;
  const errorCode = state.errorCode ?? state.state;
  const reason = failureReason(state);
  const recorded = await repository.recordFailed(
    videoId,
    { errorCode, reason, jobId: state.jobId },
    deps.now(),
  );
  if (!recorded && (await isDeleted(videoId, deps))) return sweep(state, log, deps);
  // What the job wrote before it failed must not stay servable (a rendition another function tagged).
  const failed = await repository.get(videoId);
  const withheld = failed?.status === VIDEO_STATUS.FAILED ? await withholdOutputs(failed, deps) : 0;
  logger.error('Job failed; video marked FAILED', { ...log, errorCode, reason, recorded, withheld });
  return 'failed';
}

function failureReason(state: JobState): string {
  if (isTransientJobFailure(state)) {
    return (
      `${BACKEND_NAMES[state.backend]} failed ${MAX_JOB_ATTEMPTS} jobs for reasons of its own ` +
      `(last: ${state.errorCode}${state.errorMessage ? ` ${state.errorMessage}` : ''}). ` +
      'The video file is not at fault: upload it again later.'
    );
  }
  return (
    state.errorMessage ??
    (state.state === 'CANCELED' ? 'The transcoding job was canceled.' : 'The transcoding job failed.')
  );
}

async function isDeleted(videoId: string, deps: ApplyJobStateDeps): Promise<boolean> {
  return (await deps.repository.get(videoId))?.status === VIDEO_STATUS.DELETED;
}

/** The job of a deleted video ended: whatever it wrote after the purge must go too. */
async function sweep(
  state: JobState,
  log: Record<string, unknown>,
  deps: ApplyJobStateDeps,
): Promise<JobStateOutcome> {
  await deps.requestDeletion({ videoId: state.videoId, jobId: state.jobId, reason: 'late-job' });
  deps.logger.info('Job of a deleted video ended; sweep requested, nothing recorded', log);
  return 'deleted';
}
