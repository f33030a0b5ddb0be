import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RequestDeletion } from '#shared/deletion';
import { syncVisibility } from '#shared/media';
import { POSTER_TARGET, type VideoRepository } from '#shared/store';
import type { JobState } from '#shared/transcoder';

/** What the core needs; tests pass fakes. */
export interface TranscodeStatusDeps {
  readonly repository: VideoRepository;
  readonly s3: Pick<S3Client, 'send'>;
  /** The transcoded bucket, where the poster frame lands. */
  readonly bucket: string;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Asks `delete-video` to sweep a deleted video whose job has just ended. */
  readonly requestDeletion: RequestDeletion;
}

/** What became of one job state. */
export type TranscodeStatusOutcome = 'progress' | 'completed' | 'ready' | 'failed' | 'deleted';

/**
 * Applies one job state to its video: progress, completion (the poster tagged as the video's
 * visibility says, then the READY attempt), or failure with the transcoder's own code and message.
 * The upload is kept on failure, so the video can be retried. When a job ends for a video that was
 * deleted meanwhile, nothing is written and `delete-video` is asked to sweep what the job wrote.
 */
export async function applyJobState(
  state: JobState,
  deps: TranscodeStatusDeps,
): Promise<TranscodeStatusOutcome> {
  const log = { videoId: state.videoId, jobId: state.jobId, transcoder: state.backend, state: state.state };
  try {
    return await applyState(state, log, deps);
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    deps.logger.error('Applying the job state failed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}

async function applyState(
  state: JobState,
  log: Record<string, unknown>,
  deps: TranscodeStatusDeps,
): Promise<TranscodeStatusOutcome> {
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
      const errorCode = state.errorCode ?? state.state;
      const reason =
        state.errorMessage ??
        (state.state === 'CANCELED' ? 'The transcoding job was canceled.' : 'The transcoding job failed.');
      const recorded = await repository.recordFailed(
        videoId,
        { errorCode, reason, jobId: state.jobId },
        deps.now(),
      );
      if (!recorded && (await isDeleted(videoId, deps))) return sweep(state, log, deps);
      logger.error('Job failed; video marked FAILED', { ...log, errorCode, reason, recorded });
      return 'failed';
    }
  }
}

async function isDeleted(videoId: string, deps: TranscodeStatusDeps): Promise<boolean> {
  return (await deps.repository.get(videoId))?.status === 'DELETED';
}

/** The job of a deleted video ended: whatever it wrote after the purge must go too. */
async function sweep(
  state: JobState,
  log: Record<string, unknown>,
  deps: TranscodeStatusDeps,
): Promise<TranscodeStatusOutcome> {
  await deps.requestDeletion({ videoId: state.videoId, jobId: state.jobId, reason: 'late-job' });
  deps.logger.info('Job of a deleted video ended; sweep requested, nothing recorded', log);
  return 'deleted';
}
