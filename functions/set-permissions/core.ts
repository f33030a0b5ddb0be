import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import { renditionOf, type S3ObjectRecord } from '#shared/events';
import { syncVisibility } from '#shared/media';
import type { VideoRepository } from '#shared/store';

/** What the core needs; tests pass fakes. */
export interface SetPermissionsDeps {
  readonly s3: Pick<S3Client, 'send'>;
  readonly repository: VideoRepository;
  /** The transcoded bucket; events of any other bucket are a wiring mistake and ignored. */
  readonly bucket: string;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What became of one rendition event. */
export type SetPermissionsOutcome = 'ignored' | 'public' | 'private' | 'ready' | 'deleted' | 'withheld';

/**
 * Applies the video's visibility to one new rendition without ACLs (new buckets refuse them): tagged
 * `visibility=public` when the video is public at that moment, untagged when private, checked
 * against the item so an owner's switch meanwhile wins (see `syncVisibility`). Then it records that
 * the permission is applied, a READY fact for private videos too, and tries the READY transition.
 * A rendition of a deleted, failed or unknown video is left untagged, and so is one outside the
 * video's ladder (a late or duplicate event of a rendition its job was not asked for).
 */
export async function applyRenditionPermission(
  object: S3ObjectRecord,
  deps: SetPermissionsDeps,
): Promise<SetPermissionsOutcome> {
  const { logger } = deps;
  const log = renditionOf(object, logger, deps.bucket);
  if (!log) return 'ignored';
  const { videoId, rendition } = log;

  try {
    const applied = await syncVisibility(videoId, rendition, object.key, deps);
    if (applied.outcome === 'withheld') {
      logger.warn('Rendition of a FAILED video; left untagged', { ...log });
      return 'withheld';
    }
    if (applied.outcome === 'unrequested') {
      logger.warn('Rendition outside the video’s ladder; ignored and left untagged', { ...log });
      return 'ignored';
    }
    if (applied.outcome !== 'applied') {
      logger.warn('Rendition of a deleted or unknown video; left untagged', { ...log, ...applied });
      return applied.outcome === 'deleted' ? 'deleted' : 'ignored';
    }
    const ready = await deps.repository.tryMarkReady(videoId, deps.now());
    logger.info('Rendition permission applied', { ...log, ...applied, ready });
    return ready ? 'ready' : applied.visibility;
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    logger.error('Tagging the rendition failed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}
