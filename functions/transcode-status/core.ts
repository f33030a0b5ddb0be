import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import { tagPublic } from '#shared/media';
import type { VideoRepository } from '#shared/store';
import type { JobState } from '#shared/transcoder';

/** What the core needs; tests pass fakes. */
export interface TranscodeStatusDeps {
  readonly repository: VideoRepository;
  readonly s3: Pick<S3Client, 'send'>;
  /** The transcoded bucket, where the poster frame lands. */
  readonly bucket: string;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What became of one job state. */
export type TranscodeStatusOutcome = 'progress' | 'completed' | 'ready' | 'failed';

/**
 * Applies one job state to its video: progress, completion (the poster tagged public, then the READY
 * attempt), or failure with
 * the transcoder's own code and message. The upload is kept on failure, so the video can be retried.
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
        await tagPublic(deps.s3, deps.bucket, state.posterKey);
      }
      const recorded = await repository.recordJobCompleted(
        videoId,
        { jobId: state.jobId, ...(state.posterKey ? { posterKey: state.posterKey } : {}) },
        deps.now(),
      );
      const ready = await repository.tryMarkReady(videoId, deps.now());
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
      logger.error('Job failed; video marked FAILED', { ...log, errorCode, reason, recorded });
      return 'failed';
    }
  }
}
