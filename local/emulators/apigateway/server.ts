import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServedEmulator } from '#local/emulators/common';
import { API_ROUTES, type ApiEvent, type ApiRoute, corsMethods, matchRoute, routeKey } from '#shared/http';
import { authorizeRequest, type JwtAuthorizerConfig } from './authorizer.ts';
import { buildApiEvent } from './event.ts';

/** Runs one function's bundle with an event and returns what its handler returned. */
export type InvokeFunction = (functionName: string, event: ApiEvent) => Promise<unknown>;

/** One access-log line, with the fields the deployed stage logs. */
export interface AccessLogEntry {
  readonly requestId: string;
  readonly ip: string;
  readonly requestTime: string;
  readonly httpMethod: string;
  readonly routeKey: string;
  readonly path: string;
  readonly status: number;
  readonly responseLength: number;
  readonly integrationLatency?: number;
  readonly authorizerError?: string;
}

export interface LocalApiOptions {
  /** Runs a function bundle (the local Lambda runner). */
  readonly invoke: InvokeFunction;
  /** Issuer, audience and keys the JWT authorizer accepts. */
  readonly authorizer: JwtAuthorizerConfig;
  /** The origins CORS allows, as on the deployed API (the web app's, then its dev servers'). */
  readonly allowedOrigins: readonly string[];
  /** Routes to serve; defaults to the deployed API's routes. */
  readonly routes?: readonly ApiRoute[];
  /** Defaults to 0: a free port. */
  readonly port?: number;
  /** Largest request body accepted, like API Gateway's 10 MB payload limit. */
  readonly maxBodyBytes?: number;
  /** Largest event a function is invoked with, like Lambda's 6 MB synchronous payload limit. */
  readonly maxEventBytes?: number;
  /** Receives one entry per request (the stage's JSON access log). */
  readonly accessLog?: (entry: AccessLogEntry) => void;
}

/** A running local HTTP API; its `endpoint` is the API's URL, without a trailing slash. */
export interface LocalApi extends ServedEmulator {
  readonly port: number;
}

// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
// The binding limit: the event (body included, base64 for binary) must fit Lambda's synchronous
// payload quota. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
const DEFAULT_MAX_EVENT = 6 * 1024 * 1024;

/** Headers of API Gateway's CORS configuration: the integration's own CORS headers are replaced by these. */
function corsHeadersFor(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  return origin !== undefined && allowedOrigins.includes(origin)
    ? { 'access-control-allow-origin': origin, vary: 'Origin' }
    : {};
}

class PayloadTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request body is over ${limit} bytes.`);
    this.name = 'PayloadTooLargeError';
  }
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Serves the HTTP API on 127.0.0.1 the way API Gateway serves the deployed one: CORS preflights
 * answered without authorization, every route behind the JWT authorizer (401 `{"message":"Unauthorized"}`),
 * a payload-v2 event to the route's function, and the function's result mapped back to HTTP.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const routes = options.routes ?? API_ROUTES;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxEvent = options.maxEventBytes ?? DEFAULT_MAX_EVENT;
  const apiId = 'local-api';

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const origin = request.headers.origin;
    const cors = corsHeadersFor(origin, options.allowedOrigins);
    let matchedRouteKey = '-';
    let authorizerError: string | undefined;
    let integrationLatency: number | undefined;

    const send = (status: number, headers: Record<string, string>, body: Buffer | string) => {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      response.writeHead(status, { ...headers, ...cors, 'content-length': String(payload.length) });
      response.end(payload);
      options.accessLog?.({
        requestId: String(response.getHeader('apigw-requestid') ?? ''),
        ip: request.socket.remoteAddress ?? '',
        requestTime: new Date(started).toISOString(),
        httpMethod: method,
        routeKey: matchedRouteKey,
        path: url.pathname,
        status,
        responseLength: payload.length,
        ...(integrationLatency !== undefined ? { integrationLatency } : {}),
        ...(authorizerError !== undefined ? { authorizerError } : {}),
      });
    };
    const message = (status: number, text: string, extra: Record<string, string> = {}) =>
      send(status, { 'content-type': 'application/json', ...extra }, JSON.stringify({ message: text }));
    // The rest of the body is never read: the connection closes, so no client reuses it mid-body.
    const tooLarge = (text: string) =>
      send(
        413,
        { 'content-type': 'application/json', connection: 'close' },
        JSON.stringify({ code: 'PAYLOAD_TOO_LARGE', message: text }),
      );
    const mb = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

    if (method === 'OPTIONS' && request.headers['access-control-request-method']) {
      matchedRouteKey = 'OPTIONS (CORS preflight)';
      const preflight: Record<string, string> =
        origin !== undefined && options.allowedOrigins.includes(origin)
          ? {
              'access-control-allow-methods': corsMethods(routes).join(','),
              'access-control-allow-headers': 'authorization,content-type',
              'access-control-max-age': '3600',
            }
          : {};
      send(204, preflight, '');
      return;
    }

    let route: ApiRoute | undefined;
    let pathParameters: Record<string, string> = {};
    for (const candidate of routes) {
      const params = matchRoute(candidate, method, url.pathname);
      if (params) {
        route = candidate;
        pathParameters = params;
        break;
      }
    }
    if (!route) {
      message(404, 'Not Found');
      return;
    }
    matchedRouteKey = routeKey(route);

    const verdict = await authorizeRequest(
      request.headers as Record<string, string | undefined>,
      options.authorizer,
    );
    if (!verdict.authorized) {
      authorizerError = verdict.reason;
      message(401, 'Unauthorized', {
        'www-authenticate': `Bearer error="invalid_token" error_description="${verdict.reason}"`,
      });
      return;
    }

    const declared = Number(request.headers['content-length'] ?? 0);
    let body: Buffer;
    try {
      if (declared > maxBody) throw new PayloadTooLargeError(maxBody);
      body = await readBody(request, maxBody);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        tooLarge(
          `The request body is over ${mb(maxBody)}, API Gateway's limit; send at most ${mb(maxEvent)}.`,
        );
        return;
      }
      throw error;
    }
    const event = buildApiEvent({
      request,
      url,
      body,
      routeKey: matchedRouteKey,
      pathParameters,
      claims: verdict.claims,
      scopes: verdict.scopes,
      apiId,
      now: new Date(),
    });
    response.setHeader('apigw-requestid', event.requestContext.requestId);
    const eventBytes = Buffer.byteLength(JSON.stringify(event));
    if (eventBytes > maxEvent) {
      tooLarge(
        `The request is ${mb(eventBytes)} as a Lambda event, over the ${mb(maxEvent)} a function can be invoked with; send a smaller body.`,
      );
      return;
    }

    let result: unknown;
    const invoked = Date.now();
    try {
      result = await options.invoke(route.functionName, event);
    } catch {
      integrationLatency = Date.now() - invoked;
      message(500, 'Internal Server Error');
      return;
    }
    integrationLatency = Date.now() - invoked;
    const mapped = mapResult(result);
    send(mapped.status, mapped.headers, mapped.body);
  };

  let inFlight = 0;
  const idle: (() => void)[] = [];
  const server = createServer((request, response) => {
    inFlight++;
    const settled = () => {
      inFlight--;
      if (inFlight === 0) for (const wake of idle.splice(0)) wake();
    };
    handle(request, response).then(settled, () => {
      settled();
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal Server Error' }));
      } else {
        response.destroy();
      }
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    whenIdle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve))),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/**
 * Maps a payload-v2 result to HTTP as API Gateway does: a structured result is used as given
 * (minus CORS headers, which the API's CORS configuration owns); anything else is a 200 JSON body.
 */
export function mapResult(result: unknown): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
} {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      body?: string;
      isBase64Encoded?: boolean;
      cookies?: string[];
    };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) {
      if (!name.toLowerCase().startsWith('access-control-')) headers[name.toLowerCase()] = String(value);
    }
    if (structured.cookies?.length) headers['set-cookie'] = structured.cookies.join(', ');
    const body = Buffer.from(structured.body ?? '', structured.isBase64Encoded ? 'base64' : 'utf8');
    return { status: structured.statusCode, headers, body };
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
}
