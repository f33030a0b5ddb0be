import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // Whether the video was deleted meanwhile; the upload of a video whose job is replaced.
  { action: 'dynamodb:GetItem', on: { table: 'videos' } },
  // claim, retryJob, recordRejected, recordJobStarted, recordFailed: conditional updates only.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
  { action: 'mediaconvert:Probe', on: '*', backend: 'mediaconvert' },
  // Probe reads the upload as the caller; any key, as uploads that skipped the API are transcoded too.
  {
    action: 's3:GetObject',
    on: { bucket: 'uploads', key: '*' },
    backend: 'mediaconvert',
    causedBy: 'mediaconvert:Probe',
  },
  { action: 'mediaconvert:CreateJob', on: { transcoder: 'queue' }, backend: 'mediaconvert' },
  {
    action: 'iam:PassRole',
    on: { transcoder: 'role' },
    backend: 'mediaconvert',
    causedBy: 'mediaconvert:CreateJob',
  },
  // A job started for a video deleted meanwhile is canceled at once.
  { action: 'mediaconvert:CancelJob', on: { transcoder: 'job' }, backend: 'mediaconvert' },
  { action: 'mediaconvert:GetJob', on: { transcoder: 'job' }, backend: 'mediaconvert' },
  { action: 'elastictranscoder:CreateJob', on: { transcoder: 'pipeline' }, backend: 'elastic-transcoder' },
  { action: 'elastictranscoder:CreateJob', on: { transcoder: 'preset' }, backend: 'elastic-transcoder' },
  { action: 'elastictranscoder:CancelJob', on: { transcoder: 'job' }, backend: 'elastic-transcoder' },
  { action: 'elastictranscoder:ReadJob', on: { transcoder: 'job' }, backend: 'elastic-transcoder' },
  { action: 'lambda:InvokeFunction', on: { function: 'delete-video' } },
];
