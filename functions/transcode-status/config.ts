import { ENV, type EnvName, requireString } from '#shared/config';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [ENV.VIDEO_TABLE] as const satisfies readonly EnvName[];

export interface TranscodeStatusConfig {
  readonly tableName: string;
}

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TranscodeStatusConfig {
  return { tableName: requireString(ENV.VIDEO_TABLE, env) };
}
