import type { MediaMetadata } from '#shared/video/metadata.ts';
import type { Rendition } from '#shared/video/renditions.ts';
import type { VisibleStatus } from '#shared/video/status.ts';
import type { Visibility } from '#shared/video/visibility';

/*
 * The HTTP API's video shapes. Types only, and imported only from files that import nothing, so the web
 * app (which has no Node types) reads the same definitions the functions answer with.
 */

/** One rendition a video has, as a list shows it: what it is, not where to play it. */
export interface RenditionSummary {
  readonly rendition: Rendition;
  readonly width?: number;
  readonly height?: number;
}

/** One playable rendition as `GET /videos/{id}` shows it. */
export interface RenditionView extends RenditionSummary {
  readonly url: string;
}

/**
 * A video as `GET /videos` lists it: everything a card or a status row needs, and the poster URL.
 * Playback URLs are left to `GET /videos/{id}`: signing one per rendition for every card would cost the
 * list most of its time and three quarters of its bytes, for links nobody follows from a list.
 */
export interface VideoSummary extends Omit<VideoView, 'renditions'> {
  /** The renditions a viewer could play from the watch page, highest first. */
  readonly renditions: readonly RenditionSummary[];
}

/** A video as the HTTP API returns it: what a viewer or the owner needs, no bucket names or job ids. */
export interface VideoView {
  readonly videoId: string;
  readonly status: VisibleStatus;
  readonly filename?: string;
  /** Absent until the owner sets one: show the filename then. */
  readonly title?: string;
  readonly description?: string;
  readonly visibility: Visibility;
  readonly size?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** True when the caller owns the video. */
  readonly mine: boolean;
  /** 0–100 while transcoding. */
  readonly progress?: number;
  /** Why the video FAILED or was REJECTED. */
  readonly reason?: string;
  readonly errorCode?: string;
  readonly metadata?: MediaMetadata;
  /** Playable renditions, highest first: only of a READY video, and only URLs that play for the caller. */
  readonly renditions: readonly RenditionView[];
  readonly posterUrl?: string;
}
