import { type RequestDeletion, tombstoneExpiry } from '#shared/deletion';
import { NotFoundError } from '#shared/http';
import { isOwner } from '#shared/playback';
import type { VideoRepository } from '#shared/store';
import { isVideoId, VIDEO_STATUS } from '#shared/video';

export interface RequestDeletionDeps {
  readonly repository: Pick<VideoRepository, 'get' | 'recordDeletion'>;
  /** Invokes `delete-video` asynchronously. */
  readonly requestDeletion: RequestDeletion;
  readonly now: () => Date;
}

/** `accepted`: the purge is (again) under way (202). `gone`: it was deleted and purged already (204). */
export type DeletionAnswer = 'accepted' | 'gone';

function notYours(videoId: string): NotFoundError {
  return new NotFoundError(
    `No video "${videoId}" of yours. Check the id; only a video's owner can delete it.`,
  );
}

/**
 * Records the owner's deletion and hands the purge to `delete-video`; nothing is removed here. The
 * tombstone (status DELETED, with a TTL) is written first, conditionally on the owner, so every
 * pipeline write is refused from then on. A repeated request while the purge has not finished
 * invokes it again (that is how a user's retry completes a purge whose invocation was lost); once
 * purged it is 204. Anyone but the owner gets the same 404 as for a video that does not exist.
 */
export async function deleteOwnVideo(
  videoId: string,
  callerId: string,
  deps: RequestDeletionDeps,
): Promise<DeletionAnswer> {
  if (!isVideoId(videoId)) throw notYours(videoId);
  const video = await deps.repository.get(videoId);
  if (!video || !isOwner(video, callerId)) throw notYours(videoId);
  if (video.status !== VIDEO_STATUS.DELETED) {
    const now = deps.now();
    const recorded = await deps.repository.recordDeletion({
      videoId,
      ownerId: callerId,
      now,
      expiresAt: tombstoneExpiry(now),
    });
    // Not recorded: a concurrent request deleted it first, which is the same outcome for this one.
    const tombstone = recorded
      ? { ...video, status: VIDEO_STATUS.DELETED }
      : await deps.repository.get(videoId);
    if (tombstone?.status !== VIDEO_STATUS.DELETED || !isOwner(tombstone, callerId)) throw notYours(videoId);
  } else if (video.purgedAt !== undefined) {
    return 'gone';
  }
  await deps.requestDeletion({ videoId, reason: 'requested' });
  return 'accepted';
}
