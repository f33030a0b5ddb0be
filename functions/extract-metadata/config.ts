import { defineConfig, ENV, setting } from '#shared/config';

export interface ExtractMetadataConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  /** `/opt/bin/ffprobe` from the layer on Lambda; the packaged binary locally. */
  readonly ffprobePath: string;
  /** Swept when a video is deleted while its `metadata.json` is written. */
  readonly deleteVideoFunction: string;
  readonly forcePathStyle: boolean;
}

const CONFIG = defineConfig<ExtractMetadataConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  ffprobePath: setting.string(ENV.FFPROBE_PATH),
  deleteVideoFunction: setting.string(ENV.DELETE_VIDEO_FUNCTION),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
