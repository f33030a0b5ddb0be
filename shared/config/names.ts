/**
 * Names of the environment variables the functions read. `infra/` imports these same constants
 * when it grants a function access to a resource, so infra and functions cannot disagree on spelling.
 */
export const ENV = {
  /** DynamoDB table holding the video list. */
  VIDEO_TABLE: 'VIDEO_TABLE_NAME',
  /** Bucket that receives raw uploads (and triggers `transcode-video`). */
  UPLOAD_BUCKET: 'UPLOAD_BUCKET_NAME',
  /** Bucket that receives the renditions, `metadata.json` and the poster. */
  TRANSCODED_BUCKET: 'TRANSCODED_BUCKET_NAME',
  /** Which transcoder backend `transcode-video` talks to: `mediaconvert` or `elastic-transcoder`. */
  TRANSCODER: 'VIDEO_TRANSCODER',
  /**
   * How `transcode-video` picks a video's renditions: `source` (only those that add something a viewer
   * can see) or `full` (every rendition, to compare).
   */
  RENDITION_LADDER: 'RENDITION_LADDER',
  /** Elastic Transcoder pipeline id (elastic-transcoder backend only). */
  ELASTIC_TRANSCODER_PIPELINE_ID: 'ELASTIC_TRANSCODER_PIPELINE_ID',
  /** MediaConvert account endpoint, optional: the SDK discovers the regional endpoint when unset. */
  MEDIACONVERT_ENDPOINT: 'MEDIACONVERT_ENDPOINT',
  /** MediaConvert queue ARN (mediaconvert backend only). */
  MEDIACONVERT_QUEUE_ARN: 'MEDIACONVERT_QUEUE_ARN',
  /** IAM role MediaConvert assumes to read uploads and write renditions (mediaconvert backend only). */
  MEDIACONVERT_ROLE_ARN: 'MEDIACONVERT_ROLE_ARN',
  /** Largest accepted upload, in bytes. */
  MAX_UPLOAD_BYTES: 'MAX_UPLOAD_BYTES',
  /** Absolute path of the ffprobe binary (the Lambda layer puts it at /opt/bin/ffprobe). */
  FFPROBE_PATH: 'FFPROBE_PATH',
  /** CloudFront domain serving public renditions; unset means presigned GETs (local cloud). */
  CDN_DOMAIN: 'CDN_DOMAIN',
  /** `true` to address S3 by path (`http://host/bucket/key`), as local emulators need. */
  S3_FORCE_PATH_STYLE: 'S3_FORCE_PATH_STYLE',
  /** Web app origin allowed by CORS on API responses. */
  ALLOWED_ORIGIN: 'ALLOWED_ORIGIN',
  /** Name of the `delete-video` function, which other functions invoke asynchronously to purge a video. */
  DELETE_VIDEO_FUNCTION: 'DELETE_VIDEO_FUNCTION_NAME',
  /**
   * Name of the `transcode-video` function, the one that starts jobs: others invoke it asynchronously to
   * replace a job the transcoder failed, or to resume an upload whose job never started.
   */
  TRANSCODE_VIDEO_FUNCTION: 'TRANSCODE_VIDEO_FUNCTION_NAME',
} as const;

/** One of the environment variable names in {@link ENV}. */
export type EnvName = (typeof ENV)[keyof typeof ENV];
