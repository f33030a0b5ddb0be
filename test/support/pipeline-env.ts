/** Environment the pipeline functions see in these tests: their config plus throwaway role credentials. */
export const PIPELINE_FUNCTION_ENV: Readonly<Record<string, string>> = {
  VIDEO_TABLE_NAME: 'videos-table',
  TRANSCODED_BUCKET_NAME: '24hv-transcoded-dev',
  VIDEO_TRANSCODER: 'elastic-transcoder',
  ELASTIC_TRANSCODER_PIPELINE_ID: '1763990000000-pipe01',
  MAX_UPLOAD_BYTES: '10485760',
  RENDITION_LADDER: 'source',
  DELETE_VIDEO_FUNCTION_NAME: '24hv-dev-delete-video',
  TRANSCODE_VIDEO_FUNCTION_NAME: '24hv-dev-transcode-video',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'ASIAFUNCTIONROLE',
  AWS_SECRET_ACCESS_KEY: 'role-secret',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
