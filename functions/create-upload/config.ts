import { defineConfig, ENV, setting } from '#shared/config';

/** What `create-upload` needs from its environment. */
export interface CreateUploadConfig {
  readonly tableName: string;
  readonly uploadBucket: string;
  readonly maxUploadBytes: number;
  readonly allowedOrigin: string;
  readonly forcePathStyle: boolean;
}

const CONFIG = defineConfig<CreateUploadConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  uploadBucket: setting.string(ENV.UPLOAD_BUCKET),
  maxUploadBytes: setting.positiveInt(ENV.MAX_UPLOAD_BYTES),
  allowedOrigin: setting.string(ENV.ALLOWED_ORIGIN),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable this function reads, required or optional. */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export const readConfig = CONFIG.read;
