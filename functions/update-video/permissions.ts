import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // The video after the visibility sync.
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  // updateDetails (conditional on the owner), recordPermission.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  // A visibility change re-tags every output recorded so far: renditions and poster.
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  // The answer's playback URLs: GETs presigned for the owner of a private video.
  { action: 's3:GetObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:GetObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
];
