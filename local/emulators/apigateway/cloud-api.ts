import { createLocalIdentityProvider, type LocalIdentityProvider } from '#local/emulators/cognito';
import type { InvokeResult } from '#local/emulators/lambda';
import type { SynthesizedStack } from '#local/synthesized-stack';
import { apiFromStack } from './from-stack.ts';
import { type AccessLogEntry, type LocalApi, startLocalApi } from './server.ts';

/** The local API of a running local cloud, with its identity provider. */
export interface LocalCloudApi extends LocalApi {
  readonly identity: LocalIdentityProvider;
  readonly allowedOrigins: readonly string[];
}

/**
 * Serves the stack's HTTP API on 127.0.0.1 in front of a running local cloud: routes from the stack,
 * functions run by the cloud's Lambda runner, tokens from a local identity provider (a Cognito
 * stand-in; the stack's real issuer is unreachable offline).
 */
export async function startLocalCloudApi(
  cloud: {
    readonly stack: SynthesizedStack;
    invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  },
  options: {
    identity?: LocalIdentityProvider;
    port?: number;
    accessLog?: (entry: AccessLogEntry) => void;
  } = {},
): Promise<LocalCloudApi> {
  const { routes, allowedOrigins } = apiFromStack(cloud.stack);
  const identity = options.identity ?? (await createLocalIdentityProvider());
  const api = await startLocalApi({
    routes,
    allowedOrigins,
    authorizer: { issuer: identity.issuer, audience: [identity.audience], keys: identity.keys },
    invoke: async (functionName, event) => {
      const outcome = await cloud.invoke(functionName, event);
      if (!outcome.ok) {
        throw new Error(`${functionName} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      }
      return outcome.result;
    },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.accessLog ? { accessLog: options.accessLog } : {}),
  });
  return { ...api, identity, allowedOrigins };
}
