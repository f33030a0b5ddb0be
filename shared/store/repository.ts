import type { TranscoderBackend } from '#shared/transcoder';
import type { DetailsPatch, Rendition, VideoStatus, Visibility } from '#shared/video';
import type { AppliedPermission, MediaMetadata, PermissionTarget, Video, VideoPage } from './types.ts';

/** Where an upload came from. */
export interface VideoSource {
  readonly bucket: string;
  readonly key: string;
  readonly filename: string;
  readonly size?: number;
  /** The upload's S3 version (versioned buckets): a delete removes exactly this version of a key. */
  readonly versionId?: string;
}

/** Who asks for a claim: one invocation, and how long it may still be running. */
export interface ClaimHolder {
  /** The invocation's Lambda request id: Lambda's retries of one asynchronous event reuse it. */
  readonly token: string;
  /** When the invocation's time is up (with a margin): past it, no one can still work on the claim. */
  readonly leaseUntil: Date;
}

/** A claim the caller now holds. */
export interface Claim {
  /**
   * `new`: claimed just now; `resumed`: this invocation's own claim from an earlier attempt (no job
   * recorded yet); `taken-over`: the claim of an invocation that can no longer be running.
   */
  readonly kind: 'new' | 'resumed' | 'taken-over';
  /** The job attempt the claim is for: 1 for the first job, one more for each job replaced. */
  readonly attempt: number;
  /** The ladder an earlier attempt recorded (`recordLadder`): the job must make exactly these renditions. */
  readonly renditions?: readonly Rendition[];
}

/** Paging options for list queries. */
export interface PageRequest {
  readonly limit: number;
  /** Opaque cursor from a previous page; a malformed one throws `InvalidCursorError`. */
  readonly cursor?: string;
}

/**
 * The video list. Every write is conditional, so events may arrive in any order and repeat:
 * statuses never move backwards, a video is claimed for transcoding once, READY is set only when
 * every fact it needs is recorded (for each rendition of the video's ladder, and no other), and a
 * DELETED tombstone refuses every pipeline write. Methods
 * that return `boolean` return false when their condition did not hold (a duplicate, a late event,
 * a deleted or an unknown video).
 */
export interface VideoRepository {
  /** API-issued upload: creates the item as UPLOADED, owned by `ownerId`, with its visibility. */
  recordUpload(input: {
    videoId: string;
    ownerId: string;
    source: VideoSource;
    visibility: Visibility;
    now: Date;
  }): Promise<boolean>;
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
   * TRANSCODING for `holder`. Resolves to the claim for exactly one caller, undefined for the others.
   * A claim without a job is given again to the invocation that holds it (a retry of the same event),
   * and to anyone once its lease has ended (the invocation died, or released it), so neither a retry
   * nor a redrive from the dead-letter queue is lost.
   */
  claim(input: {
    videoId: string;
    source: VideoSource;
    transcoder: TranscoderBackend;
    now: Date;
    holder: ClaimHolder;
  }): Promise<Claim | undefined>;
  /**
   * Ends the lease of a claim without a job that `token` holds (a start that failed, or a holder the
   * reconciler found stale), so another invocation may take the claim over at once.
   */
  releaseLease(videoId: string, token: string): Promise<boolean>;
  /**
   * Replaces a job that failed for the transcoder's own reasons: the video stays TRANSCODING, the job
   * is retired (its late events change nothing) and the claim goes to `holder` for attempt n + 1,
   * while fewer than `maxAttempts` jobs were started. The holder's own retry gets the claim again.
   */
  retryJob(input: {
    videoId: string;
    failedJobId: string;
    holder: ClaimHolder;
    maxAttempts: number;
    now: Date;
  }): Promise<Claim | undefined>;
  /**
   * Records the video's ladder (`expectedRenditions`) for the claim `token` holds, before its job
   * starts. The first ladder recorded stays: resolves to the ladder now on the item (the given one, or
   * an earlier attempt's), or undefined when `token` holds no claim without a job (lost, or deleted).
   */
  recordLadder(
    videoId: string,
    token: string,
    renditions: readonly Rendition[],
    now: Date,
  ): Promise<readonly Rendition[] | undefined>;
  /** Records the job of the current claim; false for a retired job, or when another job is recorded. */
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
  /** Records a finished rendition; false too for a rendition outside the video's ladder. */
  recordRendition(videoId: string, rendition: Rendition, key: string, now: Date): Promise<boolean>;
  /**
   * Records the visibility tag just applied to one output, only while the video's visibility is
   * still `applied.visibility` and it is not deleted: false means the caller's tag may be stale
   * (re-read and apply again) or the video is gone. A rendition outside the ladder is refused too.
   */
  recordPermission(
    videoId: string,
    target: PermissionTarget,
    applied: AppliedPermission,
    now: Date,
  ): Promise<boolean>;
  /**
   * Records a rendition's probe; with `highest` (the highest rendition of the video's ladder) also as
   * the video's `metadata`. False too for a rendition outside the ladder.
   */
  recordProbe(
    videoId: string,
    rendition: Rendition,
    metadata: MediaMetadata,
    now: Date,
    options: { readonly highest: boolean },
  ): Promise<boolean>;
  /**
   * The one conditional transition to READY, once the job is complete and every rendition of the
   * video's ladder is recorded, tagged and probed; true only for the caller that made it.
   */
  tryMarkReady(videoId: string, now: Date): Promise<boolean>;
  /**
   * Applies the owner's change (an empty description removes it) when `ownerId` owns the video and
   * it is not deleted; resolves to the updated video, or undefined when that condition failed.
   */
  updateDetails(input: {
    videoId: string;
    ownerId: string;
    patch: DetailsPatch;
    now: Date;
  }): Promise<Video | undefined>;
  /**
   * Turns the video into a DELETED tombstone that expires at `expiresAt` (epoch seconds), only when
   * `ownerId` owns it and it is not deleted already. The owner's text is dropped; the source, owner
   * and job stay, so the purge knows what to remove and what to cancel.
   */
  recordDeletion(input: { videoId: string; ownerId: string; now: Date; expiresAt: number }): Promise<boolean>;
  /** Records that every object of a tombstone is gone; false when it already was, or is no tombstone. */
  markPurged(videoId: string, now: Date): Promise<boolean>;
  get(videoId: string): Promise<Video | undefined>;
  listByStatus(status: VideoStatus, page: PageRequest): Promise<VideoPage>;
  /** Videos of one status created before `before`, oldest first: what the reconciler sweeps. */
  listCreatedBefore(status: VideoStatus, before: Date, page: PageRequest): Promise<VideoPage>;
  /** DELETED tombstones deleted before `before` whose purge was never recorded, oldest first. */
  listUnpurgedTombstones(before: Date, page: PageRequest): Promise<VideoPage>;
  /** The public catalogue: READY videos whose visibility is public, newest first. */
  listCatalogue(page: PageRequest): Promise<VideoPage>;
  /** One owner's videos in every status but DELETED, newest first. */
  listByOwner(ownerId: string, page: PageRequest): Promise<VideoPage>;
}
