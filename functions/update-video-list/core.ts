import type { Logger } from '@aws-lambda-powertools/logger';
import { renditionOf, type S3ObjectRecord } from '#shared/events';
import type { VideoRepository } from '#shared/store';

/** What the core needs; tests pass fakes. */
export interface UpdateVideoListDeps {
  readonly repository: VideoRepository;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What became of one rendition event. */
export type UpdateVideoListOutcome = 'ignored' | 'recorded' | 'ready';

/** Records one finished rendition on its video and tries the READY transition. */
export async function recordFinishedRendition(
  object: S3ObjectRecord,
  deps: UpdateVideoListDeps,
): Promise<UpdateVideoListOutcome> {
  const parsed = renditionOf(object, deps.logger);
  if (!parsed) return 'ignored';
  const { videoId, rendition } = parsed;
  const log = { videoId, rendition, key: object.key };
  try {
    const recorded = await deps.repository.recordRendition(videoId, rendition, object.key, deps.now());
    const ready = await deps.repository.tryMarkReady(videoId, deps.now());
    deps.logger.info('Rendition recorded', { ...log, recorded, ready });
    return ready ? 'ready' : 'recorded';
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    deps.logger.error('Recording the rendition failed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}
