import { defineConfig, ENV, setting } from '#shared/config';

/** What `request-deletion` needs from its environment. */
export interface RequestDeletionConfig {
  readonly tableName: string;
  /** The worker that purges a deleted video, invoked asynchronously. */
  readonly deleteVideoFunction: string;
  readonly allowedOrigin: string;
}

const CONFIG = defineConfig<RequestDeletionConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  deleteVideoFunction: setting.string(ENV.DELETE_VIDEO_FUNCTION),
  allowedOrigin: setting.string(ENV.ALLOWED_ORIGIN),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export const readConfig = CONFIG.read;
