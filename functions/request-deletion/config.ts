import { ENV, type EnvName, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [
  ENV.VIDEO_TABLE,
  ENV.DELETE_VIDEO_FUNCTION,
  ENV.ALLOWED_ORIGIN,
] as const satisfies readonly EnvName[];

/** What `request-deletion` needs from its environment. */
export interface RequestDeletionConfig {
  readonly tableName: string;
  /** The worker that purges a deleted video, invoked asynchronously. */
  readonly deleteVideoFunction: string;
  readonly allowedOrigin: string;
}

/** Reads and checks the environment once, at cold start; throws `ConfigError` naming a missing variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RequestDeletionConfig {
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    deleteVideoFunction: requireString(ENV.DELETE_VIDEO_FUNCTION, env),
    allowedOrigin: requireString(ENV.ALLOWED_ORIGIN, env),
  };
}
