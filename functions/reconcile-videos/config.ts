import { defineConfig, ENV, setting } from '#shared/config';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';

export interface ReconcileVideosConfig {
  readonly tableName: string;
  /** Where uploads arrive: an expired ticket is checked against its prefix there. */
  readonly uploadBucket: string;
  /** Where outputs live: a FAILED video's outputs are untagged there, a poster tagged. */
  readonly transcodedBucket: string;
  /** Whose jobs this function reads back. */
  readonly transcoder: TranscoderBackend;
  readonly mediaConvertEndpoint?: string;
  /** Asked to purge tombstones whose purge was lost. */
  readonly deleteVideoFunction: string;
  /** Asked to start the jobs of claims that never got one, and to replace failed jobs. */
  readonly transcodeVideoFunction: string;
  readonly forcePathStyle: boolean;
}

const CONFIG = defineConfig<ReconcileVideosConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  uploadBucket: setting.string(ENV.UPLOAD_BUCKET),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  transcoder: setting.oneOf(ENV.TRANSCODER, TRANSCODER_BACKENDS),
  mediaConvertEndpoint: setting.optionalString(ENV.MEDIACONVERT_ENDPOINT),
  deleteVideoFunction: setting.string(ENV.DELETE_VIDEO_FUNCTION),
  transcodeVideoFunction: setting.string(ENV.TRANSCODE_VIDEO_FUNCTION),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
