import { asList } from '#local/emulators/common';
import type { SynthesizedStack } from '#local/synthesized-stack';
import type { ApiRoute } from '#shared/http';

/** A local API routing problem in the synthesized stack (a route without a Lambda integration, say). */
export class LocalApiStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalApiStackError';
  }
}

/** The HTTP API as the synthesized stack declares it. */
export interface StackApi {
  /** Routes with the physical name of the function each integration invokes. */
  readonly routes: readonly ApiRoute[];
  /** The origins the API's CORS configuration allows: the web app's first. */
  readonly allowedOrigins: readonly string[];
}

/**
 * Reads the HTTP API from the stack: each `aws_apigatewayv2_route`'s route key, the Lambda its
 * integration invokes (`integration_uri` = the function's `invoke_arn`), and the API's CORS origin.
 * The local API therefore serves exactly the routes that would be deployed.
 */
export function apiFromStack(stack: SynthesizedStack): StackApi {
  const apis = stack.resources('aws_apigatewayv2_api');
  const api = apis[0];
  if (!api)
    throw new LocalApiStackError(
      'The stack has no aws_apigatewayv2_api; synthesize the local stage with the API.',
    );
  const cors = asList(stack.resolve(api.config).cors_configuration)[0] ?? {};
  const origins = (cors.allow_origins ?? []) as string[];
  if (origins.length === 0 || origins.includes('*')) {
    throw new LocalApiStackError(
      `${api.address} must allow the web app's own origins, not ${JSON.stringify(origins)}.`,
    );
  }

  const routes = stack.resources('aws_apigatewayv2_route').map((route): ApiRoute => {
    const key = String(route.config.route_key);
    const [method, path] = key.split(' ') as [string, string | undefined];
    const integrationRef = /\$\{aws_apigatewayv2_integration\.([^.]+)\.id\}/.exec(
      String(route.config.target),
    )?.[1];
    const integration = integrationRef
      ? stack.find(`aws_apigatewayv2_integration.${integrationRef}`)
      : undefined;
    const fnRef = /\$\{aws_lambda_function\.([^.]+)\.(?:invoke_arn|arn)\}/.exec(
      String(integration?.config.integration_uri),
    )?.[1];
    if (!path || !fnRef || route.config.authorization_type !== 'JWT') {
      throw new LocalApiStackError(
        `${route.address} (${key}) must be a JWT-authorized route to a Lambda proxy integration; the local API serves no other kind.`,
      );
    }
    const functionName = stack.attribute(`aws_lambda_function.${fnRef}`, 'function_name') as string;
    return { method: method as ApiRoute['method'], path, functionName };
  });
  return { routes, allowedOrigins: origins };
}
