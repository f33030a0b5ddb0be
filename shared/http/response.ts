import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from './errors.ts';

/** A structured HTTP API (payload v2) response. */
export type ApiResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

/** Body of every error response: a stable code and a message for people. Never a stack trace. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
}

/**
 * CORS headers for the web app's origin. API Gateway's own CORS configuration overrides them when
 * set; returning them from the function keeps direct invocations and the local cloud correct too.
 */
export function corsHeaders(allowedOrigin: string): Record<string, string> {
  return {
    'access-control-allow-origin': allowedOrigin,
    vary: 'Origin',
  };
}

/** A JSON response with CORS headers. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  options: { allowedOrigin: string; headers?: Record<string, string> },
): ApiResult {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...corsHeaders(options.allowedOrigin),
      ...options.headers,
    },
    body: JSON.stringify(body),
  };
}

/** A 204 No Content response with CORS headers: no body, so no content type. */
export function noContentResponse(options: {
  allowedOrigin: string;
  headers?: Record<string, string>;
}): ApiResult {
  return {
    statusCode: 204,
    headers: { 'cache-control': 'no-store', ...corsHeaders(options.allowedOrigin), ...options.headers },
    body: '',
  };
}

/**
 * The response for a failed request: an {@link HttpError} keeps its status, code and message;
 * anything else is an opaque 500, because its message may hold internals (table names, ARNs).
 */
export function errorResponse(error: unknown, options: { allowedOrigin: string }): ApiResult {
  if (error instanceof HttpError) {
    const body: ErrorBody = { code: error.code, message: error.message };
    return jsonResponse(error.statusCode, body, options);
  }
  const body: ErrorBody = {
    code: 'INTERNAL_ERROR',
    message:
      'The request failed on our side. Try again; if it keeps failing, report the time of the request.',
  };
  return jsonResponse(500, body, options);
}
