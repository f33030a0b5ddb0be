import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { isObject, type JsonObject } from '#shared/json';
import { BadRequestError, UnauthorizedError } from './errors.ts';

/** An HTTP API (payload v2) request that passed the JWT authorizer. */
export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The caller's user id: the `sub` claim the JWT authorizer verified. Uploads live under it, so a
 * request without one is refused rather than filed under a guessed owner.
 */
export function callerId(event: ApiEvent): string {
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new UnauthorizedError(
      'The request carries no verified user (no "sub" claim); sign in and send the token.',
    );
  }
  return sub;
}

/** The request body parsed as a JSON object; throws {@link BadRequestError} when it is missing or not an object. */
export function jsonBody(event: ApiEvent): JsonObject {
  if (event.body === undefined || event.body === '') {
    throw new BadRequestError('INVALID_JSON', 'The request body is empty; send a JSON object.');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError('INVALID_JSON', 'The request body is not valid JSON.', { cause: error });
  }
  if (!isObject(parsed)) {
    throw new BadRequestError('INVALID_JSON', 'The request body must be a JSON object.');
  }
  return parsed;
}

/** One query-string parameter, or undefined when absent or empty. */
export function queryParam(event: ApiEvent, name: string): string | undefined {
  const value = event.queryStringParameters?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** One path parameter; throws {@link BadRequestError} when the route did not supply it. */
export function pathParam(event: ApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === '') {
    throw new BadRequestError('INVALID_REQUEST', `The path parameter "${name}" is missing.`);
  }
  return value;
}

/**
 * An optional positive integer query parameter, capped at `max`; absent means `fallback`.
 * Anything that is not a whole number from 1 up is a 400, so a typo is not silently ignored.
 */
export function limitParam(
  event: ApiEvent,
  options: { name?: string; fallback: number; max: number },
): number {
  const name = options.name ?? 'limit';
  const raw = queryParam(event, name);
  if (raw === undefined) return options.fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new BadRequestError(
      'INVALID_LIMIT',
      `"${name}" must be a whole number from 1 to ${options.max}, got "${raw}".`,
    );
  }
  return Math.min(Number(raw), options.max);
}

/** An optional boolean query parameter (`true`/`false`); anything else is a 400. */
export function booleanParam(event: ApiEvent, name: string): boolean {
  const raw = queryParam(event, name);
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new BadRequestError('INVALID_REQUEST', `"${name}" must be true or false, got "${raw}".`);
}
