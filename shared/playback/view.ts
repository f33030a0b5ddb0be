import type { MediaMetadata, Video } from '#shared/store';
import { type Rendition, VIDEO_STATUS, type Visibility, type VisibleStatus } from '#shared/video';
import type { PlaybackUrls } from './urls.ts';

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

/** True when `callerId` owns `video`. */
export function isOwner(video: Video, callerId: string): boolean {
  return video.ownerId !== undefined && video.ownerId === callerId;
}

/**
 * How `callerId` may play one output, or undefined when nothing would play: through the public URL
 * once the object is tagged public and the video is public (CloudFront serves only tagged objects),
 * through a presigned GET for the owner otherwise, not at all for anyone else.
 */
function accessOf(video: Video, tagged: boolean, callerId: string): 'public' | 'private' | undefined {
  if (video.visibility === 'public' && tagged) return 'public';
  if (isOwner(video, callerId)) return 'private';
  return undefined;
}

function urlFor(urls: PlaybackUrls, access: 'public' | 'private', key: string): Promise<string> {
  return access === 'public' ? urls.publicUrl(key) : urls.privateUrl(key);
}

/** The view of `video` for `callerId`; `withUrls` signs the renditions' URLs too. */
async function describe(
  video: Video,
  callerId: string,
  urls: PlaybackUrls,
  withUrls: boolean,
): Promise<VideoSummary | VideoView> {
  if (video.status === VIDEO_STATUS.DELETED) {
    throw new Error(`Video ${video.videoId} is deleted; the API shows no view of it.`);
  }
  const ready = video.status === VIDEO_STATUS.READY;
  const renditions: (RenditionSummary | RenditionView)[] = [];
  for (const output of ready ? video.outputs : []) {
    if (!video.permissions[output.rendition]) continue;
    const access = accessOf(video, output.public, callerId);
    if (access === undefined) continue;
    renditions.push({
      rendition: output.rendition,
      ...(output.width !== undefined ? { width: output.width } : {}),
      ...(output.height !== undefined ? { height: output.height } : {}),
      ...(withUrls ? { url: await urlFor(urls, access, output.key) } : {}),
    });
  }
  const posterAccess =
    ready && video.poster
      ? accessOf(video, video.permissions.poster?.visibility === 'public', callerId)
      : undefined;
  const posterUrl = posterAccess && video.poster ? await urlFor(urls, posterAccess, video.poster) : undefined;
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
 * The API's view of a video for `callerId`. Only a READY video's renditions get URLs, and only URLs
 * that play: a half-finished file is never handed out, and a private one only to its owner.
 */
export async function toVideoView(video: Video, callerId: string, urls: PlaybackUrls): Promise<VideoView> {
  return (await describe(video, callerId, urls, true)) as VideoView;
}

/**
 * The list's view of a video for `callerId`: {@link toVideoView} with the poster's URL but without the
 * renditions' URLs, which only the watch page needs.
 */
export function toVideoSummary(video: Video, callerId: string, urls: PlaybackUrls): Promise<VideoSummary> {
  return describe(video, callerId, urls, false);
}

/**
 * True when `callerId` may read `video`: anyone a public READY video, the owner theirs in any status
 * but DELETED, which is gone for everyone.
 */
export function canRead(video: Video, callerId: string): boolean {
  if (video.status === VIDEO_STATUS.DELETED) return false;
  return (video.status === VIDEO_STATUS.READY && video.visibility === 'public') || isOwner(video, callerId);
}
