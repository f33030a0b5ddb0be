import {
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import {
  expectsRendition,
  POSTER_TARGET,
  type PermissionTarget,
  type Video,
  type VideoRepository,
} from '#shared/store';
import { PUBLIC_TAG, type Visibility } from '#shared/video';

/**
 * Tags one object `visibility=public` (public) or removes that tag (private), keeping its other tags;
 * resolves to false when the object already was so. PutObjectTagging replaces the whole tag set,
 * hence the read first.
 */
export async function applyVisibilityTag(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  key: string,
  visibility: Visibility,
): Promise<boolean> {
  const current = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  const tags = current.TagSet ?? [];
  const others = tags.filter((tag) => tag.Key !== PUBLIC_TAG.key);
  const wanted: Tag[] =
    visibility === 'public' ? [...others, { Key: PUBLIC_TAG.key, Value: PUBLIC_TAG.value }] : others;
  const isPublic = tags.some((tag) => tag.Key === PUBLIC_TAG.key && tag.Value === PUBLIC_TAG.value);
  const unchanged = visibility === 'public' ? isPublic : others.length === tags.length;
  if (unchanged) return false;
  await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: wanted } }));
  return true;
}

/** Attempts {@link syncVisibility} makes before giving up on a visibility that keeps changing. */
export const MAX_VISIBILITY_ATTEMPTS = 5;

/** The video's visibility changed on every attempt to tag an output; a retry later will settle it. */
export class VisibilityRaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VisibilityRaceError';
  }
}

/** What {@link syncVisibility} needs. */
export interface VisibilitySyncDeps {
  readonly repository: Pick<VideoRepository, 'get' | 'recordPermission'>;
  readonly s3: Pick<S3Client, 'send'>;
  /** The transcoded bucket, where every output lives. */
  readonly bucket: string;
  readonly now: () => Date;
}

/** What became of one {@link syncVisibility}. */
export type VisibilitySync =
  | { readonly outcome: 'applied'; readonly visibility: Visibility; readonly changed: boolean }
  /** The video is a DELETED tombstone: nothing was tagged. */
  | { readonly outcome: 'deleted' }
  /** The video FAILED: the output was left (or made) untagged, so nothing of it is served. */
  | { readonly outcome: 'withheld' }
  /** No such video: nothing was tagged, so the object stays unservable. */
  | { readonly outcome: 'unknown' }
  /** A rendition outside the video's ladder (a late or stray output): nothing was tagged or recorded. */
  | { readonly outcome: 'unrequested' };

/**
 * Makes one output's tag match its video's visibility, last write wins: read the visibility, tag
 * the object, then record what was applied on the condition that the visibility is still the one
 * applied. When the owner switched in between, the record fails and the loop reads and tags again,
 * so whichever writer touches the object last has checked it against the item afterwards. A FAILED
 * video's outputs are never public: the tag is removed and nothing recorded (the record refuses a
 * FAILED video, so a writer that tagged just before the failure loops and removes its tag).
 * Every writer of visibility tags (set-permissions, transcode-status, update-video) goes through it.
 */
export async function syncVisibility(
  videoId: string,
  target: PermissionTarget,
  key: string,
  deps: VisibilitySyncDeps,
): Promise<VisibilitySync> {
  for (let attempt = 1; attempt <= MAX_VISIBILITY_ATTEMPTS; attempt++) {
    const video = await deps.repository.get(videoId);
    if (!video) return { outcome: 'unknown' };
    if (video.status === 'DELETED') return { outcome: 'deleted' };
    if (video.status === 'FAILED') {
      await withhold(deps, key);
      return { outcome: 'withheld' };
    }
    if (target !== POSTER_TARGET && !expectsRendition(video, target)) return { outcome: 'unrequested' };
    const { visibility } = video;
    let changed: boolean;
    try {
      changed = await applyVisibilityTag(deps.s3, deps.bucket, key, visibility);
    } catch (error) {
      // The purge of a deletion that landed meanwhile removed the object.
      if (isMissingObject(error) && (await deps.repository.get(videoId))?.status === 'DELETED') {
        return { outcome: 'deleted' };
      }
      throw error;
    }
    if (await deps.repository.recordPermission(videoId, target, { key, visibility }, deps.now())) {
      return { outcome: 'applied', visibility, changed };
    }
  }
  throw new VisibilityRaceError(
    `The visibility of video ${videoId} changed during each of ${MAX_VISIBILITY_ATTEMPTS} attempts to tag ${key}; retry to apply the latest.`,
  );
}

/**
 * Removes the public tag from every output a FAILED video recorded (renditions and poster), so the
 * delivery policy serves none of what a failed job wrote. Resolves to the number untagged.
 */
export async function withholdOutputs(
  video: Pick<Video, 'permissions'>,
  deps: Pick<VisibilitySyncDeps, 's3' | 'bucket'>,
): Promise<number> {
  const keys = Object.values(video.permissions).map((applied) => applied.key);
  const changed = await Promise.all(keys.map((key) => withhold(deps, key)));
  return changed.filter(Boolean).length;
}

async function withhold(deps: Pick<VisibilitySyncDeps, 's3' | 'bucket'>, key: string): Promise<boolean> {
  try {
    return await applyVisibilityTag(deps.s3, deps.bucket, key, 'private');
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}

/**
 * How S3 answers for a key that is not there: `NoSuchKey`, or `AccessDenied` to a caller without
 * `s3:ListBucket`, which no function has.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
function isMissingObject(error: unknown): boolean {
  return error instanceof Error && ['NoSuchKey', 'NotFound', 'AccessDenied'].includes(error.name);
}
