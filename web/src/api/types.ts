import type { Visibility } from '#shared/video/visibility';

export type { Visibility };

/** A video's place in the pipeline. READY, FAILED and REJECTED are terminal. */
export type VideoStatus = 'UPLOADED' | 'TRANSCODING' | 'READY' | 'FAILED' | 'REJECTED';

/** A rendition's name, highest first in a view. */
export type Rendition = '1080p' | '720p' | 'web-720p';

/** What the transcoded video is, measured by the pipeline's probe. */
export interface VideoMetadata {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
  readonly videoCodec: string;
  readonly audioCodec?: string;
  readonly bitRate: number;
  readonly size: number;
  readonly frameRate: number;
}

/** One rendition a video has, as a list shows it (lists carry no playback URLs). */
export interface RenditionSummary {
  readonly rendition: Rendition;
  readonly width?: number;
  readonly height?: number;
}

/** One playable file of a READY video, as `GET /videos/{id}` shows it. */
export interface RenditionView extends RenditionSummary {
  readonly url: string;
}

/** A video as `GET /videos/{id}` and `PATCH /videos/{id}` show it. */
export interface VideoView {
  readonly videoId: string;
  readonly status: VideoStatus;
  readonly filename?: string;
  readonly title?: string;
  readonly description?: string;
  readonly visibility: Visibility;
  readonly size?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly mine: boolean;
  readonly progress?: number;
  readonly reason?: string;
  readonly errorCode?: string;
  readonly metadata?: VideoMetadata;
  readonly renditions: readonly RenditionView[];
  readonly posterUrl?: string;
}

/** A video as `GET /videos` lists it: the poster's URL, but no rendition's. */
export interface VideoSummary extends Omit<VideoView, 'renditions'> {
  readonly renditions: readonly RenditionSummary[];
}

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
