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
  // The poster frame, which no S3 trigger watches.
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
  { action: 'lambda:InvokeFunction', on: { function: 'delete-video' } },
];
