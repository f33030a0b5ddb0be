import type { MediaMetadata, Video } from '#shared/store';
import type { Rendition, Visibility, VisibleStatus } from '#shared/video';
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

/** True when `callerId` owns `video`. */
export function isOwner(video: Video, callerId: string): boolean {
  return video.ownerId !== undefined && video.ownerId === callerId;
}

/**
 * The URL of one output for `callerId`, or undefined when none would play: the public URL once the
 * object is tagged public and the video is public (CloudFront serves only tagged objects), a
 * presigned GET for the owner otherwise, nothing for anyone else.
 */
async function urlOf(
  video: Video,
  key: string,
  tagged: boolean,
  callerId: string,
  urls: PlaybackUrls,
): Promise<string | undefined> {
  if (video.visibility === 'public' && tagged) return urls.publicUrl(key);
  if (isOwner(video, callerId)) return urls.privateUrl(key);
  return undefined;
}

/**
 * The API's view of a video for `callerId`. Only a READY video's renditions get URLs, and only URLs
 * that play: a half-finished file is never handed out, and a private one only to its owner.
 */
export async function toVideoView(video: Video, callerId: string, urls: PlaybackUrls): Promise<VideoView> {
  if (video.status === 'DELETED') {
    throw new Error(`Video ${video.videoId} is deleted; the API shows no view of it.`);
  }
  const ready = video.status === 'READY';
  const renditions: RenditionView[] = [];
  for (const output of ready ? video.outputs : []) {
    if (!video.permissions[output.rendition]) continue;
    const url = await urlOf(video, output.key, output.public, callerId, urls);
    if (url === undefined) continue;
    renditions.push({
      rendition: output.rendition,
      ...(output.width !== undefined ? { width: output.width } : {}),
      ...(output.height !== undefined ? { height: output.height } : {}),
      url,
    });
  }
  const poster = video.permissions.poster;
  const posterUrl =
    ready && video.poster
      ? await urlOf(video, video.poster, poster?.visibility === 'public', callerId, urls)
      : undefined;
  return {
    videoId: video.videoId,
    status: video.status,
    ...(video.source?.filename ? { filename: video.source.filename } : {}),
    ...(video.title !== undefined ? { title: video.title } : {}),
    ...(video.description !== undefined ? { description: video.description } : {}),
    visibility: video.visibility,
    ...(video.source?.size !== undefined ? { size: video.source.size } : {}),
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    mine: isOwner(video, callerId),
    ...(video.progress !== undefined ? { progress: video.progress } : {}),
    ...(video.reason !== undefined ? { reason: video.reason } : {}),
    ...(video.errorCode !== undefined ? { errorCode: video.errorCode } : {}),
    ...(video.metadata !== undefined ? { metadata: video.metadata } : {}),
    renditions,
    ...(posterUrl !== undefined ? { posterUrl } : {}),
  };
}

/**
 * True when `callerId` may read `video`: anyone a public READY video, the owner theirs in any status
 * but DELETED, which is gone for everyone.
 */
export function canRead(video: Video, callerId: string): boolean {
  if (video.status === 'DELETED') return false;
  return (video.status === 'READY' && video.visibility === 'public') || isOwner(video, callerId);
}
