import { S3Client } from '@aws-sdk/client-s3';
import { ENV, type EnvName, optionalBoolean, optionalString, requireString } from '#shared/config';
import { createVideoRepository, type VideoRepository } from '#shared/store';
import { type PlaybackUrls, playbackUrls } from './urls.ts';

/** Every environment variable a function that reads the catalogue uses, required or optional. */
export const CATALOGUE_ENV_READS: readonly EnvName[] = [
  ENV.VIDEO_TABLE,
  ENV.TRANSCODED_BUCKET,
  ENV.ALLOWED_ORIGIN,
  ENV.CDN_DOMAIN,
  ENV.S3_FORCE_PATH_STYLE,
];

/** What a catalogue-reading function (`list-videos`, `get-video`) needs from its environment. */
export interface CatalogueConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  readonly allowedOrigin: string;
  /** Unset means playback through presigned GETs. */
  readonly cdnDomain?: string;
  readonly forcePathStyle: boolean;
}

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export function readCatalogueConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CatalogueConfig {
  const cdnDomain = optionalString(ENV.CDN_DOMAIN, env);
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    allowedOrigin: requireString(ENV.ALLOWED_ORIGIN, env),
    ...(cdnDomain !== undefined ? { cdnDomain } : {}),
    forcePathStyle: optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, env),
  };
}

/** The video list and the playback URL maker a catalogue-reading function uses, built once per cold start. */
export function catalogueReader(config: CatalogueConfig): {
  repository: VideoRepository;
  playback: PlaybackUrls;
} {
  return {
    repository: createVideoRepository(config.tableName),
    playback: playbackUrls({
      cdnDomain: config.cdnDomain,
      s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
      bucket: config.transcodedBucket,
    }),
  };
}
