import type { RenditionSummary, RenditionView, VideoSummary, VideoView } from '#shared/playback/api-types.ts';
import type { MediaMetadata as VideoMetadata } from '#shared/video/metadata.ts';
import type { Rendition } from '#shared/video/renditions.ts';
import type { VisibleStatus as VideoStatus } from '#shared/video/status.ts';
import type { Visibility } from '#shared/video/visibility';

// The API's shapes are the server's own (shared/playback/api-types.ts): one definition, so a field the
// functions add or rename breaks the web build instead of the page.
export type {
  Rendition,
  RenditionSummary,
  RenditionView,
  VideoMetadata,
  VideoStatus,
  VideoSummary,
  VideoView,
  Visibility,
};

/** One page of `GET /videos`. */
export interface VideoPage {
  readonly items: readonly VideoSummary[];
  readonly nextCursor?: string;
}

/** The body of `POST /uploads`. */
export interface UploadRequest {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly visibility?: Visibility;
}

/** What `POST /uploads` answers: where and how to send the file. */
export interface UploadTicket {
  readonly videoId: string;
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/** The body of `PATCH /videos/{id}`. */
export interface VideoPatch {
  readonly title?: string;
  readonly description?: string;
  readonly visibility?: Visibility;
}

/** What `DELETE /videos/{id}` answers: accepted now, or already deleted before. */
export type DeleteOutcome = 'accepted' | 'already-deleted';
