import { defineConfig, ENV, setting } from '#shared/config';

export interface SetPermissionsConfig {
  readonly tableName: string;
  readonly transcodedBucket: string;
  readonly forcePathStyle: boolean;
}

const CONFIG = defineConfig<SetPermissionsConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
