export { DynamoVideoRepository, STALE_CLAIM_MS } from './dynamo-repository.ts';
export { InvalidCursorError } from './errors.ts';
export { createVideoRepository } from './factory.ts';
export type { Claim, ClaimHolder, PageRequest, VideoRepository, VideoSource } from './repository.ts';
export { VIDEO_TABLE_SCHEMA } from './schema.ts';
export {
  type AppliedPermission,
  expectsRendition,
  ladderOf,
  type MediaMetadata,
  type PermissionTarget,
  POSTER_TARGET,
  type Video,
  type VideoPage,
} from './types.ts';
