import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  // recordProgress, recordJobCompleted, recordFailed, recordPermission, tryMarkReady.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  // recordJobStarted too: a job that failed before transcode-video recorded it, so it can be replaced.
  // The poster frame, which no S3 trigger watches; and a FAILED video's renditions, untagged.
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 'lambda:InvokeFunction', on: { function: 'delete-video' } },
  // A job the transcoder failed for its own reasons: transcode-video, which owns the claim, replaces it.
  { action: 'lambda:InvokeFunction', on: { function: 'transcode-video' } },
];
