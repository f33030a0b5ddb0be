import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaRunner } from './runner.ts';

/**
 * The Lambda API on 127.0.0.1 (`AWS_ENDPOINT_URL_LAMBDA`): Invoke, for functions that invoke others,
 * and GetFunctionEventInvokeConfig, for tools that find a function's on-failure destination.
 */
export interface LocalLambdaApi {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const INVOKE_CONFIG_PATH = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/;

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  // restJson1: the SDK reads the error's name from x-amzn-errortype.
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Serves `POST /2015-03-31/functions/{name}/invocations` as Lambda does over the runner: `Event`
 * queues the event with the target's retries and on-failure destination and answers 202;
 * `RequestResponse` (the default) runs it and answers its result, or its error with
 * `X-Amz-Function-Error: Unhandled`; `DryRun` only checks the function exists (204).
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export async function startLambdaApi(
  runner: LambdaRunner,
  options: { onEvent?: (functionArn: string, event: unknown) => void } = {},
): Promise<LocalLambdaApi> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const config = INVOKE_CONFIG_PATH.exec(url.pathname);
    if (req.method === 'GET' && config?.[1]) return eventInvokeConfig(res, decodeURIComponent(config[1]));
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match?.[1]) {
      return sendError(
        res,
        404,
        'UnknownOperationException',
        `${req.method} ${url.pathname} is not a Lambda operation the local cloud serves (Invoke and GetFunctionEventInvokeConfig are).`,
      );
    }
    const name = decodeURIComponent(match[1]);
    const spec = runner.find(name);
    if (!spec) return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const body = await readBody(req);
    let event: unknown;
    try {
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json.');
    }
    switch (type) {
      case 'DryRun':
        res.writeHead(204, { 'x-amz-executed-version': '$LATEST' });
        res.end();
        return;
      case 'Event':
        options.onEvent?.(spec.arn, event);
        runner.invokeAsync(spec.arn, event, 'lambda:invoke');
        res.writeHead(202, { 'x-amz-executed-version': '$LATEST' });
        res.end();
        return;
      case 'RequestResponse': {
        const outcome = await runner.invoke(spec.arn, event);
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'x-amz-executed-version': '$LATEST',
          ...(!outcome.ok && { 'x-amz-function-error': 'Unhandled' }),
        };
        res.writeHead(200, headers);
        res.end(JSON.stringify(outcome.ok ? (outcome.result ?? null) : outcome.error));
        return;
      }
      default:
        return sendError(
          res,
          400,
          'InvalidParameterValueException',
          `InvocationType ${type} is not Event, RequestResponse or DryRun.`,
        );
    }
  };

  // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionEventInvokeConfig.html
  const eventInvokeConfig = (res: ServerResponse, name: string): void => {
    const spec = runner.find(name);
    if (!spec) {
      sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        FunctionArn: `${spec.arn}:$LATEST`,
        MaximumRetryAttempts: spec.maxRetries,
        DestinationConfig: {
          OnSuccess: {},
          OnFailure: spec.onFailure === undefined ? {} : { Destination: spec.onFailure },
        },
      }),
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'ServiceException', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
