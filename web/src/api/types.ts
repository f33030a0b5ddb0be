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

/** One playable file of a READY video. */
export interface RenditionView {
  readonly rendition: Rendition;
  readonly width?: number;
  readonly height?: number;
  readonly url: string;
}

/** A video as the API shows it (`GET /videos`, `GET /videos/{id}`, `PATCH /videos/{id}`). */
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

/** One page of `GET /videos`. */
export interface VideoPage {
  readonly items: readonly VideoView[];
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
