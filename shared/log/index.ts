import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

/** The Powertools logger type, so cores can take one in their deps without importing Powertools. */
export type { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one Powertools logger of a function, named after it. Level and sampling come from the
 * standard `POWERTOOLS_LOG_LEVEL` / `POWERTOOLS_LOGGER_SAMPLE_RATE` variables.
 */
export function createLogger(
  serviceName: string,
  options: Omit<ConstructorOptions, 'serviceName'> = {},
): Logger {
  return new Logger({ ...options, serviceName } as ConstructorOptions);
}

/**
 * A child of `logger` whose every line carries `videoId` (and any extra `keys`), so one video's
 * journey through every function can be followed with a single query. The parent is unchanged,
 * so records of other videos in the same invocation never inherit the wrong id.
 */
export function forVideo(logger: Logger, videoId: string, keys: Record<string, unknown> = {}): Logger {
  return logger.createChild({ persistentKeys: { ...keys, videoId } });
}

/**
 * Runs `work`; when it throws, logs `message` at error level with `fields` and the error, then rethrows
 * so Lambda retries. The runtime's own report of the failed invocation carries no `videoId`; this line does.
 */
export async function reportingFailure<T>(
  logger: Pick<Logger, 'error'>,
  message: string,
  fields: object,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    logger.error(message, { ...fields, error });
    throw error;
  }
}
