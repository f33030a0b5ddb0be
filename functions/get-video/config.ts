import { ENV, type EnvName, optionalBoolean, optionalString, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional. */
export const ENV_READS: readonly EnvName[] = [
  ENV.VIDEO_TABLE,
  ENV.TRANSCODED_BUCKET,
  ENV.ALLOWED_ORIGIN,
  ENV.CDN_DOMAIN,
  ENV.S3_FORCE_PATH_STYLE,
];

/** What `get-video` needs from its environment. */
export interface GetVideoConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  readonly allowedOrigin: string;
  /** Unset means playback through presigned GETs. */
  readonly cdnDomain?: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): GetVideoConfig {
  const cdnDomain = optionalString(ENV.CDN_DOMAIN, env);
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    allowedOrigin: requireString(ENV.ALLOWED_ORIGIN, env),
    ...(cdnDomain !== undefined ? { cdnDomain } : {}),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}
