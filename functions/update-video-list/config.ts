import { defineConfig, ENV, setting } from '#shared/config';

export interface UpdateVideoListConfig {
  readonly tableName: string;
}

const CONFIG = defineConfig<UpdateVideoListConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
