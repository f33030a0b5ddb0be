import { defineConfig, ENV, setting } from '#shared/config';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';

export interface DeleteVideoConfig {
  readonly tableName: string;
  /** Where uploads live: `uploads/<owner>/<videoId>/…`. */
  readonly uploadBucket: string;
  /** Where outputs live: `videos/<videoId>/…`. */
  readonly transcodedBucket: string;
  /** Whose jobs this function cancels. */
  readonly transcoder: TranscoderBackend;
  readonly mediaConvertEndpoint?: string;
  readonly forcePathStyle: boolean;
}

const CONFIG = defineConfig<DeleteVideoConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  uploadBucket: setting.string(ENV.UPLOAD_BUCKET),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  transcoder: setting.oneOf(ENV.TRANSCODER, TRANSCODER_BACKENDS),
  mediaConvertEndpoint: setting.optionalString(ENV.MEDIACONVERT_ENDPOINT),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
