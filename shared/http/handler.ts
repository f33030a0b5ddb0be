import { HttpError } from './errors.ts';
import type { ApiEvent } from './request.ts';
import { type ApiResult, errorResponse, jsonResponse, noContentResponse } from './response.ts';

/** The little of a Powertools `Logger` the HTTP wrapper needs. */
export interface HttpLogger {
  info(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** What a route's logic returns: a status and a JSON body (none for 204), plus optional extra headers. */
export interface RouteResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * Wraps a route's logic into an HTTP API (payload v2) handler: the result becomes a JSON response
 * with CORS headers, an {@link HttpError} becomes its status and message, and anything else is
 * logged with its stack and answered with an opaque 500, so no stack trace ever reaches a caller.
 */
export function httpHandler(
  run: (event: ApiEvent) => Promise<RouteResult>,
  options: {
    allowedOrigin: string;
    logger: HttpLogger;
    /** Keys every log line of this request carries, e.g. the `videoId` of the path. */
    logKeys?: (event: ApiEvent) => Record<string, unknown>;
  },
): (event: ApiEvent) => Promise<ApiResult> {
  const { allowedOrigin, logger } = options;
  return async (event) => {
    const keys = options.logKeys?.(event) ?? {};
    try {
      const result = await run(event);
      const options = { allowedOrigin, ...(result.headers ? { headers: result.headers } : {}) };
      return result.statusCode === 204
        ? noContentResponse(options)
        : jsonResponse(result.statusCode, result.body, options);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode < 500) {
        logger.info('request refused', {
          ...keys,
          statusCode: error.statusCode,
          code: error.code,
          reason: error.message,
        });
      } else {
        logger.error('request failed', error as Error, { ...keys, routeKey: event.routeKey });
      }
      return errorResponse(error, { allowedOrigin });
    }
  };
}
