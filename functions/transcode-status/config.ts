import { ENV, type EnvName, optionalBoolean, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [
  ENV.VIDEO_TABLE,
  ENV.TRANSCODED_BUCKET,
  ENV.DELETE_VIDEO_FUNCTION,
  ENV.TRANSCODE_VIDEO_FUNCTION,
  ENV.S3_FORCE_PATH_STYLE,
] as const satisfies readonly EnvName[];

export interface TranscodeStatusConfig {
  readonly tableName: string;
  /** Where the poster lands; it is tagged there like the renditions. */
  readonly transcodedBucket: string;
  /** Swept when a deleted video's job ends. */
  readonly deleteVideoFunction: string;
  /** Asked for a new job when the transcoder failed one for reasons of its own. */
  readonly transcodeVideoFunction: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TranscodeStatusConfig {
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    deleteVideoFunction: requireString(ENV.DELETE_VIDEO_FUNCTION, env),
    transcodeVideoFunction: requireString(ENV.TRANSCODE_VIDEO_FUNCTION, env),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
