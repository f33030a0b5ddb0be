import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3ObjectRecord } from '#shared/events';
import type { VideoRepository } from '#shared/store';
import { parseRenditionKey } from '#shared/video';

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
  const parsed = parseRenditionKey(object.key);
  if (!parsed) {
    deps.logger.info('Not a rendition key; ignored', { bucket: object.bucket, key: object.key });
    return 'ignored';
  }
  const { videoId, rendition } = parsed;
  const recorded = await deps.repository.recordRendition(videoId, rendition, object.key, deps.now());
  const ready = await deps.repository.tryMarkReady(videoId, deps.now());
  deps.logger.info('Rendition recorded', { videoId, rendition, key: object.key, recorded, ready });
  return ready ? 'ready' : 'recorded';
}
