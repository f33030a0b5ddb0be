import type { MediaMetadata, Video } from '#shared/store';
import type { Rendition, VideoStatus } from '#shared/video';
import type { PlaybackUrls } from './urls.ts';

/** One playable rendition as the API shows it. */
export interface RenditionView {
  readonly rendition: Rendition;
  readonly width?: number;
  readonly height?: number;
  readonly url: string;
}

/** A video as the HTTP API returns it: what a viewer or the owner needs, no bucket names or job ids. */
export interface VideoView {
  readonly videoId: string;
  readonly status: VideoStatus;
  readonly filename?: string;
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
  /** Playable renditions, highest first: only public renditions of a READY video. */
  readonly renditions: readonly RenditionView[];
  readonly posterUrl?: string;
}

/**
 * The API's view of a video for `callerId`. Only a READY video's public renditions get URLs, so
 * a half-finished or private file is never handed out, even to its owner.
 */
export async function toVideoView(video: Video, callerId: string, urls: PlaybackUrls): Promise<VideoView> {
  const ready = video.status === 'READY';
  const playable = ready ? video.outputs.filter((output) => output.public) : [];
  const renditions = await Promise.all(
    playable.map(
      async (output): Promise<RenditionView> => ({
        rendition: output.rendition,
        ...(output.width !== undefined ? { width: output.width } : {}),
        ...(output.height !== undefined ? { height: output.height } : {}),
        url: await urls.urlFor(output.key),
      }),
    ),
  );
  const posterUrl = ready && video.poster ? await urls.urlFor(video.poster) : undefined;
  return {
    videoId: video.videoId,
    status: video.status,
    ...(video.source?.filename !== undefined ? { filename: video.source.filename } : {}),
    ...(video.source?.size !== undefined ? { size: video.source.size } : {}),
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    mine: video.ownerId !== undefined && video.ownerId === callerId,
    ...(video.progress !== undefined ? { progress: video.progress } : {}),
    ...(video.reason !== undefined ? { reason: video.reason } : {}),
    ...(video.errorCode !== undefined ? { errorCode: video.errorCode } : {}),
    ...(video.metadata !== undefined ? { metadata: video.metadata } : {}),
    renditions,
    ...(posterUrl !== undefined ? { posterUrl } : {}),
  };
}

/** True when `callerId` may read `video`: anyone may read a READY video, owners may read theirs in any status. */
export function canRead(video: Video, callerId: string): boolean {
  return video.status === 'READY' || (video.ownerId !== undefined && video.ownerId === callerId);
}
