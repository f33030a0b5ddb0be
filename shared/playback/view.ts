import type { Video } from '#shared/store';
import { VIDEO_STATUS } from '#shared/video';
import type { RenditionSummary, RenditionView, VideoSummary, VideoView } from './api-types.ts';
import type { PlaybackUrls } from './urls.ts';

export type { RenditionSummary, RenditionView, VideoSummary, VideoView } from './api-types.ts';

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
