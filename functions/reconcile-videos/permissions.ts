import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // The videos of a status created before a bound: TRANSCODING, UPLOADED, DELETED.
  { action: 'dynamodb:Query', on: { table: 'videos', index: 'byStatus' } },
  // syncVisibility and the reads after a failure.
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  // releaseLease, recordRejected, and the job-state transitions of transcode-status.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  // Whether an expired upload ticket's file arrived.
  { action: 's3:ListBucket', on: { bucket: 'uploads', listPrefix: 'uploads/<ownerId>/<videoId>/' } },
  // The poster of a job found complete; a FAILED video's outputs, untagged.
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  // The real state of a job whose end never reached the video.
  { action: 'mediaconvert:GetJob', on: { transcoder: 'job' }, backend: 'mediaconvert' },
  { action: 'elastictranscoder:ReadJob', on: { transcoder: 'job' }, backend: 'elastic-transcoder' },
  // A claim that never got its job, an upload never claimed, a failed job to replace.
  { action: 'lambda:InvokeFunction', on: { function: 'transcode-video' } },
  // A tombstone never purged.
  { action: 'lambda:InvokeFunction', on: { function: 'delete-video' } },
];
