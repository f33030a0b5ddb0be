import type { ApiEvent } from '#shared/http';

/**
 * A fresh HTTP API (payload v2) event as API Gateway sends it after its JWT authorizer passed,
 * for user `sub`. Built on every call, so tests may mutate what they get.
 */
export function apiEvent(options: {
  method: string;
  routeKey: string;
  path: string;
  sub?: string;
  body?: unknown;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
}): ApiEvent {
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString,
    headers: { 'content-type': 'application/json', host: 'api.example.test' },
    ...(options.query ? { queryStringParameters: { ...options.query } } : {}),
    ...(options.pathParameters ? { pathParameters: { ...options.pathParameters } } : {}),
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'req-1',
      routeKey: options.routeKey,
      stage: '$default',
      time: '24/Nov/2026:12:00:00 +0000',
      timeEpoch: 1795521600000,
      authorizer: {
        jwt: {
          claims:
            options.sub === undefined ? {} : { sub: options.sub, token_use: 'access', client_id: 'client-1' },
          scopes: null,
        },
      },
    },
  };
}
