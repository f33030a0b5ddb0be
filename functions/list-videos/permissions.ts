import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // listCatalogue and listByOwner; never one item by its key.
  { action: 'dynamodb:Query', on: { table: 'videos', index: 'byStatus' } },
  { action: 'dynamodb:Query', on: { table: 'videos', index: 'byOwner' } },
  // GETs presigned for the owner of a private video: its renditions and poster.
  { action: 's3:GetObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:GetObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/poster.*' } },
];
