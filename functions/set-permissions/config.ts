import { ENV, type EnvName, optionalBoolean, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [
  ENV.VIDEO_TABLE,
  ENV.TRANSCODED_BUCKET,
  ENV.S3_FORCE_PATH_STYLE,
] as const satisfies readonly EnvName[];

export interface SetPermissionsConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SetPermissionsConfig {
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
