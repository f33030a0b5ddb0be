import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // recordUpload: one conditional put of the new item.
  { action: 'dynamodb:PutItem', on: { table: 'videos' } },
  // The presigned POST is authorized as this function when the browser sends it.
  { action: 's3:PutObject', on: { bucket: 'uploads', key: 'uploads/<ownerId>/<videoId>/clip.mp4' } },
];
