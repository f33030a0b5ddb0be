import { ENV, type EnvName, optionalBoolean, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [
  ENV.VIDEO_TABLE,
  ENV.TRANSCODED_BUCKET,
  ENV.FFPROBE_PATH,
  ENV.DELETE_VIDEO_FUNCTION,
  ENV.S3_FORCE_PATH_STYLE,
] as const satisfies readonly EnvName[];

export interface ExtractMetadataConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  /** `/opt/bin/ffprobe` from the layer on Lambda; the packaged binary locally. */
  readonly ffprobePath: string;
  /** Swept when a video is deleted while its `metadata.json` is written. */
  readonly deleteVideoFunction: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExtractMetadataConfig {
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    ffprobePath: requireString(ENV.FFPROBE_PATH, env),
    deleteVideoFunction: requireString(ENV.DELETE_VIDEO_FUNCTION, env),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
