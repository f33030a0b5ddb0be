import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // The video's ladder before probing; whether it was deleted while metadata.json was written.
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  // recordProbe, recordFailed, tryMarkReady.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  // ffprobe reads the rendition through a GET this function presigns.
  { action: 's3:GetObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/*.mp4' } },
  { action: 's3:PutObject', on: { bucket: 'transcoded', key: 'videos/<videoId>/metadata.json' } },
  { action: 'lambda:InvokeFunction', on: { function: 'delete-video' } },
];
