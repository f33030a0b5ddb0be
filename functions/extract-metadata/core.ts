import type { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RequestDeletion } from '#shared/deletion';
import { type RenditionObject, renditionOf, type S3ObjectRecord } from '#shared/events';
import { NotAVideoError, presignGetUrl } from '#shared/media';
import { expectsRendition, ladderOf, type MediaMetadata, type VideoRepository } from '#shared/store';
import { highestRendition, metadataKey, type Rendition } from '#shared/video';

/** How long the presigned GET handed to ffprobe stays valid: long enough for a slow probe, no longer. */
export const PROBE_URL_EXPIRES_SECONDS = 900;

/** What the core needs; tests pass fakes. */
export interface ExtractMetadataDeps {
  readonly s3: S3Client;
  /**
   * Runs ffprobe against a URL; ffprobe reads only the byte ranges it needs. Throws `NotAVideoError`
   * for a file it can read but that holds no video, `ProbeError` for anything a retry may fix.
   */
  readonly probe: (url: string) => Promise<MediaMetadata>;
  readonly repository: VideoRepository;
  /** The transcoded bucket; events of any other bucket are a wiring mistake and ignored. */
  readonly bucket: string;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Presigns a GET; defaults to the SDK presigner over `s3`. */
  readonly presignGet?: (bucket: string, key: string) => Promise<string>;
  /** Asks `delete-video` to sweep when the video was deleted while `metadata.json` was being written. */
  readonly requestDeletion: RequestDeletion;
}

/** What became of one rendition event. */
export type ExtractMetadataOutcome = 'ignored' | 'probed' | 'ready' | 'failed' | 'deleted';

/** The `metadata.json` document written next to the renditions. */
export interface MetadataDocument extends MediaMetadata {
  readonly videoId: string;
  readonly rendition: Rendition;
  readonly key: string;
}

/**
 * Probes one rendition through a presigned GET (no download to /tmp), stores the facts on the video,
 * writes `metadata.json` for the highest rendition of the video's ladder (not `.mp4`, so the
 * `.mp4`-filtered notification cannot re-trigger the pipeline) and tries the READY transition. A
 * rendition outside the ladder (a late or duplicate event) is ignored before it is probed. `metadata.json` is written only
 * for a video that took the facts, and checked afterwards: a deletion that landed meanwhile gets a
 * sweep, so the document cannot outlive the video. A rendition that is not a readable
 * video marks the video FAILED; anything else (ffprobe could not run or fetch, AWS errors) is rethrown
 * so Lambda retries with a fresh URL.
 */
export async function extractMetadata(
  object: S3ObjectRecord,
  deps: ExtractMetadataDeps,
): Promise<ExtractMetadataOutcome> {
  const log = renditionOf(object, deps.logger, deps.bucket);
  if (!log) return 'ignored';
  try {
    return await probeRendition(log, deps);
  } catch (error) {
    // The runtime's own report of the failed invocation carries no videoId.
    deps.logger.error('Probing the rendition failed; rethrown so Lambda retries', { ...log, error });
    throw error;
  }
}

async function probeRendition(
  object: RenditionObject,
  deps: ExtractMetadataDeps,
): Promise<ExtractMetadataOutcome> {
  const { logger, repository } = deps;
  const log = object;
  const { videoId, rendition } = object;

  const video = await repository.get(videoId);
  if (video && !expectsRendition(video, rendition)) {
    logger.warn('Rendition outside the video’s ladder; ignored', {
      ...log,
      expectedRenditions: ladderOf(video),
    });
    return 'ignored';
  }
  // Its probe becomes the video's metadata: the best picture the video has.
  const highest = video !== undefined && highestRendition(ladderOf(video)) === rendition;

  const presign =
    deps.presignGet ?? ((bucket, key) => presignGetUrl(deps.s3, bucket, key, PROBE_URL_EXPIRES_SECONDS));
  const url = await presign(object.bucket, object.key);
  let metadata: MediaMetadata;
  try {
    metadata = await deps.probe(url);
  } catch (error) {
    if (!(error instanceof NotAVideoError)) throw error;
    const reason = `The ${rendition} rendition is not a readable video: ${error.message}`;
    await repository.recordFailed(videoId, { errorCode: 'NOT_A_VIDEO', reason }, deps.now());
    logger.error('Probe failed; video marked FAILED', { ...log, error });
    return 'failed';
  }

  const recorded = await repository.recordProbe(videoId, rendition, metadata, deps.now(), { highest });
  if (recorded && highest) {
    const document: MetadataDocument = { videoId, rendition, key: object.key, ...metadata };
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: object.bucket,
        Key: metadataKey(videoId),
        Body: `${JSON.stringify(document, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
    if ((await repository.get(videoId))?.status === 'DELETED') {
      await deps.requestDeletion({ videoId, reason: 'late-output' });
      logger.info('Video deleted while metadata.json was written; sweep requested', { ...log });
      return 'deleted';
    }
  }
  const ready = await repository.tryMarkReady(videoId, deps.now());
  logger.info('Rendition probed', { ...log, metadata, recorded, ready });
  return ready ? 'ready' : 'probed';
}
