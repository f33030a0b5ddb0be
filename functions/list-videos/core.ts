import { BadRequestError } from '#shared/http';
import { type PlaybackUrls, toVideoSummary, type VideoSummary } from '#shared/playback';
import { InvalidCursorError, type VideoPage, type VideoRepository } from '#shared/store';
import { VIDEO_STATUS } from '#shared/video';

/** A `GET /videos` query, already parsed. */
export interface ListQuery {
  readonly callerId: string;
  /** True for the caller's own videos in every status (private ones too); false for the public READY catalogue. */
  readonly mine: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/** A page of `GET /videos`. */
export interface VideoListPage {
  readonly items: readonly VideoSummary[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface ListVideosDeps {
  readonly repository: Pick<VideoRepository, 'listCatalogue' | 'listByOwner'>;
  readonly playback: PlaybackUrls;
}

/**
 * One page of the catalogue (public READY videos, newest first, from the byStatus index) or of the
 * caller's own videos in every status but DELETED (byOwner index). Items are filtered again on the
 * way out, so an index that returned a stray item could still not leak another user's unfinished
 * or private video, nor show a deleted one.
 */
export async function listVideos(query: ListQuery, deps: ListVideosDeps): Promise<VideoListPage> {
  const page = { limit: query.limit, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) };
  let result: VideoPage;
  try {
    result = query.mine
      ? await deps.repository.listByOwner(query.callerId, page)
      : await deps.repository.listCatalogue(page);
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new BadRequestError(
        'INVALID_CURSOR',
        '"cursor" is not a cursor this API issued; pass the nextCursor of the previous page unchanged, or omit it.',
        { cause: error },
      );
    }
    throw error;
  }
  const visible = result.items.filter((video) =>
    query.mine
      ? video.ownerId === query.callerId && video.status !== VIDEO_STATUS.DELETED
      : video.status === VIDEO_STATUS.READY && video.visibility === 'public',
  );
  const items = await Promise.all(
    visible.map((video) => toVideoSummary(video, query.callerId, deps.playback)),
  );
  return { items, ...(result.cursor !== undefined ? { nextCursor: result.cursor } : {}) };
}
