import type { TranscoderBackend } from '#shared/transcoder';
import type { Rendition, VideoStatus } from '#shared/video';
import type { MediaMetadata, Video, VideoPage } from './types.ts';

/** Where an upload came from. */
export interface VideoSource {
  readonly bucket: string;
  readonly key: string;
  readonly filename: string;
  readonly size?: number;
}

/** Paging options for list queries. */
export interface PageRequest {
  readonly limit: number;
  /** Opaque cursor from a previous page; a malformed one throws `InvalidCursorError`. */
  readonly cursor?: string;
}

/**
 * The video list. Every write is conditional, so events may arrive in any order and repeat:
 * statuses never move backwards, a video is claimed for transcoding once, and READY is set
 * only when every fact it needs is recorded. Methods that return `boolean` return false when
 * their condition did not hold (a duplicate, a late event, or an unknown video).
 */
export interface VideoRepository {
  /** API-issued upload: creates the item as UPLOADED, owned by `ownerId`. */
  recordUpload(input: { videoId: string; ownerId: string; source: VideoSource; now: Date }): Promise<boolean>;
  /** Creates or moves an UPLOADED item to REJECTED with a reason (keeping its recorded source); never touches a claimed video. */
  recordRejected(input: {
    videoId: string;
    source: VideoSource;
    errorCode: string;
    reason: string;
    now: Date;
  }): Promise<boolean>;
  /**
   * Idempotent claim: creates the item (or moves it from UPLOADED, keeping its recorded source) to
   * TRANSCODING. True for exactly one caller; a claim that never got a job and is older than
   * `STALE_CLAIM_MS` may be taken again, so a redrive from the dead-letter queue is not lost.
   */
  claim(input: {
    videoId: string;
    source: VideoSource;
    transcoder: TranscoderBackend;
    now: Date;
  }): Promise<boolean>;
  /** Undoes a claim whose job never started (transient start failure), so a retry can claim again. */
  releaseClaim(videoId: string): Promise<boolean>;
  recordJobStarted(videoId: string, jobId: string, now: Date): Promise<boolean>;
  recordProgress(videoId: string, percent: number, now: Date): Promise<boolean>;
  /** Marks the job complete; with `jobId`, only when it is the video's recorded job (or none is recorded yet). */
  recordJobCompleted(
    videoId: string,
    details: { posterKey?: string; jobId?: string },
    now: Date,
  ): Promise<boolean>;
  /**
   * Moves any non-terminal video to FAILED with the transcoder's code and a human-readable reason;
   * with `jobId`, only when it is the video's recorded job (or none is recorded yet).
   */
  recordFailed(
    videoId: string,
    failure: { errorCode: string; reason: string; jobId?: string },
    now: Date,
  ): Promise<boolean>;
  recordRendition(videoId: string, rendition: Rendition, key: string, now: Date): Promise<boolean>;
  recordPublic(videoId: string, rendition: Rendition, now: Date): Promise<boolean>;
  recordProbe(videoId: string, rendition: Rendition, metadata: MediaMetadata, now: Date): Promise<boolean>;
  /** The one conditional transition to READY; true only for the caller that made it. */
  tryMarkReady(videoId: string, now: Date): Promise<boolean>;
  get(videoId: string): Promise<Video | undefined>;
  listByStatus(status: VideoStatus, page: PageRequest): Promise<VideoPage>;
  listByOwner(ownerId: string, page: PageRequest): Promise<VideoPage>;
}
