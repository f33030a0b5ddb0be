import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  // markPurged.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  { action: 's3:ListBucketVersions', on: { bucket: 'uploads', listPrefix: 'uploads/<ownerId>/<videoId>/' } },
  { action: 's3:ListBucketVersions', on: { bucket: 'transcoded', listPrefix: 'videos/<videoId>/' } },
  // DeleteObjects, with a VersionId for every version and delete marker.
  { action: 's3:DeleteObject', on: { bucket: 'uploads', key: 'uploads/<ownerId>/<videoId>/*' } },
  { action: 's3:DeleteObjectVersion', on: { bucket: 'uploads', key: 'uploads/<ownerId>/<videoId>/*' } },
  { action: 's3:DeleteObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/*' } },
  { action: 's3:DeleteObjectVersion', on: { bucket: 'transcoded', key: 'videos/<videoId>/*' } },
  { action: 'mediaconvert:CancelJob', on: { transcoder: 'job' }, backend: 'mediaconvert' },
  { action: 'mediaconvert:GetJob', on: { transcoder: 'job' }, backend: 'mediaconvert' },
  { action: 'elastictranscoder:CancelJob', on: { transcoder: 'job' }, backend: 'elastic-transcoder' },
  { action: 'elastictranscoder:ReadJob', on: { transcoder: 'job' }, backend: 'elastic-transcoder' },
];
