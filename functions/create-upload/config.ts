import { ENV, type EnvName, optionalBoolean, requirePositiveInt, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional. */
export const ENV_READS: readonly EnvName[] = [
  ENV.VIDEO_TABLE,
  ENV.UPLOAD_BUCKET,
  ENV.MAX_UPLOAD_BYTES,
  ENV.ALLOWED_ORIGIN,
  ENV.S3_FORCE_PATH_STYLE,
];

/** What `create-upload` needs from its environment. */
export interface CreateUploadConfig {
  readonly tableName: string;
  readonly uploadBucket: string;
  readonly maxUploadBytes: number;
  readonly allowedOrigin: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CreateUploadConfig {
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    uploadBucket: requireString(ENV.UPLOAD_BUCKET, env),
    maxUploadBytes: requirePositiveInt(ENV.MAX_UPLOAD_BYTES, env),
    allowedOrigin: requireString(ENV.ALLOWED_ORIGIN, env),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
