import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // syncVisibility reads the visibility, then records what it applied; tryMarkReady.
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  // The renditions only: no S3 trigger reaches this function for the poster or metadata.json.
  { action: 's3:GetObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:PutObjectTagging', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
];
