import { RENDITIONS, type Rendition, type VideoStatus, type Visibility } from '#shared/video';

import type { MediaMetadata } from '#shared/video/metadata.ts';

export type { MediaMetadata };

/** An output whose visibility tag is tracked: each rendition, and the poster frame. */
export type PermissionTarget = Rendition | 'poster';

/** The poster frame as a {@link PermissionTarget}. */
export const POSTER_TARGET = 'poster' satisfies PermissionTarget;

/** The visibility tag last applied to one output object, checked against the video's visibility when recorded. */
export interface AppliedPermission {
  readonly key: string;
  readonly visibility: Visibility;
}

/** One rendition of a video, as the video list shows it. */
export interface VideoOutput {
  readonly rendition: Rendition;
  readonly key: string;
  readonly width?: number;
  readonly height?: number;
  /** True once the rendition is tagged `visibility=public`, so CloudFront may serve it. */
  readonly public: boolean;
}

/** One entry of the video list, as the repository returns it. */
export interface Video {
  readonly videoId: string;
  readonly status: VideoStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly ownerId?: string;
  readonly source?: {
    readonly bucket: string;
    readonly key: string;
    readonly size?: number;
    readonly filename: string;
    /** The upload's S3 version, when the bucket is versioned. */
    readonly versionId?: string;
  };
  /** Set by the owner; the filename stands in until then. */
  readonly title?: string;
  readonly description?: string;
  /** Who may watch it; `public` for uploads that never said. */
  readonly visibility: Visibility;
  readonly transcoder?: string;
  readonly jobId?: string;
  /** When the video was last claimed for transcoding (ISO). */
  readonly claimedAt?: string;
  /** The invocation holding the claim; its retries share it. */
  readonly claimToken?: string;
  /** Until when (ISO) the claim's invocation may still run; a later one may take the claim over after it. */
  readonly leaseUntil?: string;
  /** Jobs started for the video so far, counting the one being started (1 for the first). */
  readonly jobAttempt?: number;
  /** Jobs that failed for the transcoder's own reasons and were replaced by a new one. */
  readonly retiredJobIds?: readonly string[];
  readonly jobComplete: boolean;
  /**
   * The renditions its job makes (its ladder), highest first, recorded before the first job starts;
   * absent before then, and on videos claimed before ladders existed (they expect every rendition).
   */
  readonly expectedRenditions?: readonly Rendition[];
  /** 0–100 while transcoding. */
  readonly progress?: number;
  /** Every recorded rendition, highest first. */
  readonly outputs: readonly VideoOutput[];
  /** The visibility tag applied to each output object (renditions and poster) so far. */
  readonly permissions: Readonly<Partial<Record<PermissionTarget, AppliedPermission>>>;
  /** Probed facts of the highest rendition of its ladder. */
  readonly metadata?: MediaMetadata;
  readonly poster?: string;
  /** Human-readable reason when FAILED or REJECTED. */
  readonly reason?: string;
  readonly errorCode?: string;
  /** When the owner deleted it (ISO); the item is a tombstone from then on. */
  readonly deletedAt?: string;
  /** When every object of the video was removed (ISO). */
  readonly purgedAt?: string;
  /** When DynamoDB may drop the tombstone (epoch seconds, the table's TTL attribute). */
  readonly expiresAt?: number;
}

/** A page of the video list and the opaque cursor to the next one. */
export interface VideoPage {
  readonly items: readonly Video[];
  readonly cursor?: string;
}

/** The renditions a video waits for: its recorded ladder, or every rendition for a video without one. */
export function ladderOf(video: Pick<Video, 'expectedRenditions'>): readonly Rendition[] {
  return video.expectedRenditions ?? RENDITIONS;
}

/** True when `rendition` belongs to the video's ladder; late events of any other are ignored. */
export function expectsRendition(video: Pick<Video, 'expectedRenditions'>, rendition: Rendition): boolean {
  return ladderOf(video).includes(rendition);
}
