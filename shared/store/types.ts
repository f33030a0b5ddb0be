import type { Rendition, VideoStatus } from '#shared/video';

/** Facts ffprobe reported about one file. */
export interface MediaMetadata {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  /** Degrees clockwise the player must rotate (0, 90, 180, 270). */
  readonly rotation: number;
  readonly videoCodec: string;
  /** Undefined when the file has no audio track. */
  readonly audioCodec?: string;
  readonly bitRate: number;
  readonly size: number;
  readonly frameRate: number;
}

/** One rendition of a video, as the video list shows it. */
export interface VideoOutput {
  readonly rendition: Rendition;
  readonly key: string;
  readonly width?: number;
  readonly height?: number;
  /** True once `set-permissions` has tagged it `visibility=public`. */
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
  };
  readonly transcoder?: string;
  readonly jobId?: string;
  readonly jobComplete: boolean;
  /** 0–100 while transcoding. */
  readonly progress?: number;
  /** Every recorded rendition, highest first. */
  readonly outputs: readonly VideoOutput[];
  /** Probed facts of the highest rendition. */
  readonly metadata?: MediaMetadata;
  readonly poster?: string;
  /** Human-readable reason when FAILED or REJECTED. */
  readonly reason?: string;
  readonly errorCode?: string;
}

/** A page of the video list and the opaque cursor to the next one. */
export interface VideoPage {
  readonly items: readonly Video[];
  readonly cursor?: string;
}
