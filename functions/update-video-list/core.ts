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

/**
 * Records one finished rendition on its video and tries the READY transition, each one conditional
 * write: the item's own ladder (`expectedRenditions`) is checked inside the conditions, so a rendition
 * outside it (a late or stray event of one its job was not asked for) is refused without a read and
 * cannot complete the set. A refused rendition is logged and ignored; READY is still tried, because a
 * repeat of a recorded one may be Lambda's retry after a crash between the two writes.
 */
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
    if (!recorded) {
      deps.logger.warn(
        'Rendition not recorded: outside the video’s ladder, or the video is no longer transcoding; ignored',
        log,
      );
    }
    const ready = await deps.repository.tryMarkReady(videoId, deps.now());
    if (recorded) deps.logger.info('Rendition recorded', { ...log, ready });
    if (ready) return 'ready';
    return recorded ? 'recorded' : 'ignored';
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    deps.logger.error('Recording the rendition failed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}
