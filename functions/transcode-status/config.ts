import { defineConfig, ENV, setting } from '#shared/config';

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

const CONFIG = defineConfig<TranscodeStatusConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  deleteVideoFunction: setting.string(ENV.DELETE_VIDEO_FUNCTION),
  transcodeVideoFunction: setting.string(ENV.TRANSCODE_VIDEO_FUNCTION),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
