import { S3Client } from '@aws-sdk/client-s3';
import { defineConfig, ENV, setting } from '#shared/config';
import { createVideoRepository, type VideoRepository } from '#shared/store';
import { type PlaybackUrls, playbackUrls } from './urls.ts';

/** What a catalogue-reading function (`list-videos`, `get-video`) needs from its environment. */
export interface CatalogueConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  readonly allowedOrigin: string;
  /** Unset means playback through presigned GETs. */
  readonly cdnDomain?: string;
  readonly forcePathStyle: boolean;
}

const CATALOGUE_CONFIG = defineConfig<CatalogueConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  allowedOrigin: setting.string(ENV.ALLOWED_ORIGIN),
  cdnDomain: setting.optionalString(ENV.CDN_DOMAIN),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable a function that reads the catalogue uses, required or optional. */
export const CATALOGUE_ENV_READS = CATALOGUE_CONFIG.names;

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export const readCatalogueConfig = CATALOGUE_CONFIG.read;

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
