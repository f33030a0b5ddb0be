import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import { renditionOf, type S3ObjectRecord } from '#shared/events';
import { tagPublic } from '#shared/media';
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
export type SetPermissionsOutcome = 'ignored' | 'public' | 'ready';

/**
 * Makes one rendition playable without ACLs (new buckets refuse them): tags it `visibility=public`,
 * keeping its other tags, records that on the video and tries the READY transition.
 */
export async function makeRenditionPublic(
  object: S3ObjectRecord,
  deps: SetPermissionsDeps,
): Promise<SetPermissionsOutcome> {
  const { logger } = deps;
  const log = renditionOf(object, logger, deps.bucket);
  if (!log) return 'ignored';
  const { videoId, rendition } = log;

  try {
    const alreadyPublic = !(await tagPublic(deps.s3, object.bucket, object.key));
    const recorded = await deps.repository.recordPublic(videoId, rendition, deps.now());
    const ready = await deps.repository.tryMarkReady(videoId, deps.now());
    logger.info('Rendition tagged public', { ...log, alreadyPublic, recorded, ready });
    return ready ? 'ready' : 'public';
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    logger.error('Tagging the rendition failed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}
