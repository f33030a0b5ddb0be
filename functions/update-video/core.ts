import type { S3Client } from '@aws-sdk/client-s3';
import { BadRequestError, NotFoundError } from '#shared/http';
import { syncVisibility } from '#shared/media';
import { type PlaybackUrls, toVideoView, type VideoView } from '#shared/playback';
import type { PermissionTarget, VideoRepository } from '#shared/store';
import { checkDetailsPatch, type DetailsPatch, isVideoId } from '#shared/video';

export interface UpdateVideoDeps {
  readonly repository: Pick<VideoRepository, 'get' | 'updateDetails' | 'recordPermission'>;
  /** Tags the outputs; signed as this function's role. */
  readonly s3: Pick<S3Client, 'send'>;
  /** The transcoded bucket. */
  readonly bucket: string;
  readonly playback: PlaybackUrls;
  readonly now: () => Date;
}

/** Checks a `PATCH /videos/{videoId}` body; every refusal is a 400 `INVALID_REQUEST` naming the field. */
export function parseDetailsRequest(body: Record<string, unknown>): DetailsPatch {
  const checked = checkDetailsPatch(body);
  if (!checked.ok) throw new BadRequestError('INVALID_REQUEST', checked.message);
  return checked.value;
}

function notYours(videoId: string): NotFoundError {
  return new NotFoundError(
    `No video "${videoId}" of yours. Check the id; only a video's owner can change it.`,
  );
}

/**
 * Applies the owner's change and answers with the updated view. Anyone but the owner, and a deleted
 * video, get the same 404. A visibility in the request re-tags every output recorded so far (each
 * rendition and the poster) through `syncVisibility`, even when it did not change, so repeating the
 * request repairs an earlier one that failed half-way; outputs still arriving are tagged by the
 * pipeline against the new visibility.
 */
export async function updateVideo(
  videoId: string,
  callerId: string,
  patch: DetailsPatch,
  deps: UpdateVideoDeps,
): Promise<VideoView> {
  if (!isVideoId(videoId)) throw notYours(videoId);
  const updated = await deps.repository.updateDetails({ videoId, ownerId: callerId, patch, now: deps.now() });
  if (!updated) throw notYours(videoId);
  if (patch.visibility === undefined) return toVideoView(updated, callerId, deps.playback);

  const outcomes = await Promise.all(
    Object.entries(updated.permissions).map(([target, applied]) =>
      syncVisibility(videoId, target as PermissionTarget, applied.key, deps),
    ),
  );
  const current = await deps.repository.get(videoId);
  if (
    !current ||
    current.status === 'DELETED' ||
    outcomes.some((o) => o.outcome === 'deleted' || o.outcome === 'unknown')
  ) {
    throw notYours(videoId);
  }
  return toVideoView(current, callerId, deps.playback);
}
