import { NotFoundError } from '#shared/http';
import { canRead, type PlaybackUrls, toVideoView, type VideoView } from '#shared/playback';
import type { VideoRepository } from '#shared/store';
import { isVideoId } from '#shared/video';

export interface GetVideoDeps {
  readonly repository: Pick<VideoRepository, 'get'>;
  readonly playback: PlaybackUrls;
}

/**
 * One video for progress polling. Anyone may read a public READY video and owners may read theirs
 * in any status; everything else, including deleted videos and ids that cannot exist, is the same
 * 404, so the API never confirms that someone else's unfinished or private video exists.
 */
export async function getVideo(videoId: string, callerId: string, deps: GetVideoDeps): Promise<VideoView> {
  const video = isVideoId(videoId) ? await deps.repository.get(videoId) : undefined;
  if (!video || !canRead(video, callerId)) {
    throw new NotFoundError(
      `No video "${videoId}" that you can see. Check the id; others' public uploads appear once READY.`,
    );
  }
  return toVideoView(video, callerId, deps.playback);
}
