import {
  ENV,
  type EnvName,
  optionalBoolean,
  optionalString,
  requireOneOf,
  requireString,
} from '#shared/config';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [
  ENV.VIDEO_TABLE,
  ENV.UPLOAD_BUCKET,
  ENV.TRANSCODED_BUCKET,
  ENV.TRANSCODER,
  ENV.MEDIACONVERT_ENDPOINT,
  ENV.DELETE_VIDEO_FUNCTION,
  ENV.TRANSCODE_VIDEO_FUNCTION,
  ENV.S3_FORCE_PATH_STYLE,
] as const satisfies readonly EnvName[];

export interface ReconcileVideosConfig {
  readonly tableName: string;
  /** Where uploads arrive: an expired ticket is checked against its prefix there. */
  readonly uploadBucket: string;
  /** Where outputs live: a FAILED video's outputs are untagged there, a poster tagged. */
  readonly transcodedBucket: string;
  /** Whose jobs this function reads back. */
  readonly transcoder: TranscoderBackend;
  readonly mediaConvertEndpoint?: string;
  /** Asked to purge tombstones whose purge was lost. */
  readonly deleteVideoFunction: string;
  /** Asked to start the jobs of claims that never got one, and to replace failed jobs. */
  readonly transcodeVideoFunction: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReconcileVideosConfig {
  const endpoint = optionalString(ENV.MEDIACONVERT_ENDPOINT, env);
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    uploadBucket: requireString(ENV.UPLOAD_BUCKET, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    transcoder: requireOneOf(ENV.TRANSCODER, TRANSCODER_BACKENDS, env),
    ...(endpoint && { mediaConvertEndpoint: endpoint }),
    deleteVideoFunction: requireString(ENV.DELETE_VIDEO_FUNCTION, env),
    transcodeVideoFunction: requireString(ENV.TRANSCODE_VIDEO_FUNCTION, env),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
