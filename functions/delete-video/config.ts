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
  ENV.S3_FORCE_PATH_STYLE,
] as const satisfies readonly EnvName[];

export interface DeleteVideoConfig {
  readonly tableName: string;
  /** Where uploads live: `uploads/<owner>/<videoId>/…`. */
  readonly uploadBucket: string;
  /** Where outputs live: `videos/<videoId>/…`. */
  readonly transcodedBucket: string;
  /** Whose jobs this function cancels. */
  readonly transcoder: TranscoderBackend;
  readonly mediaConvertEndpoint?: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeleteVideoConfig {
  const endpoint = optionalString(ENV.MEDIACONVERT_ENDPOINT, env);
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    uploadBucket: requireString(ENV.UPLOAD_BUCKET, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    transcoder: requireOneOf(ENV.TRANSCODER, TRANSCODER_BACKENDS, env),
    ...(endpoint && { mediaConvertEndpoint: endpoint }),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
