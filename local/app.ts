import type { TranscoderBackend } from '#shared/transcoder/port';
import { type AccessLogEntry, type LocalCloudApi, startLocalCloudApi } from '#local/api';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '#local/cloud';
import {
  assertAuthorizerAudience,
  type CognitoEmulator,
  cognitoClientFromStack,
  startCognitoEmulator,
  type TokenLifetimes,
} from '#local/emulators/cognito';
import { DEFAULT_LOCAL_BACKEND, prepareLocalStack, prepareWebApp } from '#local/prepare';
import { SynthesizedStack } from '#local/stack';
import { securityHeaders } from '#shared/web';
import { appOrigins, startWebServer, type WebServer, webConfigFor } from '#local/web';

/** Overrides the web server's port (the stack's `webOrigin` port otherwise); 0 picks a free one. */
export const WEB_PORT_ENV = 'LOCAL_WEB_PORT';

/** Options of {@link startLocalApp}; every one has a default that is what `npm start` does. */
export interface LocalAppOptions {
  /** Transcoder backend of the stack to prepare when neither `stack` nor `stackFile` is given. */
  readonly backend?: TranscoderBackend;
  readonly stackFile?: string;
  /** An already loaded (possibly edited) stack; wins over `stackFile`. */
  readonly stack?: SynthesizedStack;
  /** The built web app; default `web/dist`, built first when stale. */
  readonly webRoot?: string;
  /**
   * The web server's port; default `LOCAL_WEB_PORT`, else the port of the stack's `webOrigin` (4173).
   * On any other port the app loads, but sign-in redirects go to the registered origins.
   */
  readonly webPort?: number;
  /**
   * Headers on every web response; default the deployed security headers (the same strict
   * Content-Security-Policy) with the local API, provider and S3 as sources, so a page that works here
   * works behind CloudFront.
   */
  readonly webHeaders?: Readonly<Record<string, string>>;
  /** Ports of the OpenID provider and the API; default free ones. */
  readonly identityPort?: number;
  readonly apiPort?: number;
  /** Overrides the stack's token lifetimes (tests of renewal use short ones). */
  readonly tokenLifetimes?: Partial<TokenLifetimes>;
  /** Where the local cloud keeps its data; default a temp directory that `stop()` removes. */
  readonly dataDir?: string;
  readonly retryDelayMs?: number;
  /** Faults to inject from the start, and how schedules run: see {@link LocalCloudOptions}. */
  readonly faults?: LocalCloudOptions['faults'];
  readonly schedules?: LocalCloudOptions['schedules'];
  /** `full` turns the source-aware ladder off: see {@link LocalCloudOptions.renditionLadder}. */
  readonly renditionLadder?: LocalCloudOptions['renditionLadder'];
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** Progress of the build and synth steps. */
  readonly log?: (line: string) => void;
}

/** The whole product on 127.0.0.1: the local cloud, its API, the OpenID provider and the web app. */
export interface LocalApp {
  readonly cloud: LocalCloud;
  readonly api: LocalCloudApi;
  readonly identity: CognitoEmulator;
  readonly web: WebServer;
  readonly urls: {
    /** Where to open the app, e.g. `http://127.0.0.1:4173`. */
    readonly web: string;
    readonly api: string;
    /** The OpenID provider's issuer (the app's `authority`). */
    readonly issuer: string;
  };
  /** Stops every server, in reverse order, and removes the cloud's temp directory. */
  stop(): Promise<void>;
  /** Ends the cloud at once and synchronously ({@link LocalCloud.abort}); the servers end with the process. */
  abort(): void;
}

function webPortFrom(env: NodeJS.ProcessEnv, webOrigin: URL): number {
  const raw = env[WEB_PORT_ENV]?.trim();
  if (raw) {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new Error(`${WEB_PORT_ENV}="${raw}" is not a port; use 0-65535 (0 picks a free one).`);
    }
    return port;
  }
  return Number(webOrigin.port || (webOrigin.protocol === 'https:' ? 443 : 80));
}

/**
 * Starts the local cloud, its HTTP API, the local OpenID provider (the stack's Cognito app client)
 * and the web server on the stack's `webOrigin`, with `/config.json` pointing the app at the other
 * two. Everything is read from the synthesized stack. Anything failing stops what was started.
 */
export async function startLocalApp(options: LocalAppOptions = {}): Promise<LocalApp> {
  const log = options.log ?? (() => undefined);
  const stack =
    options.stack ??
    SynthesizedStack.fromFile(
      options.stackFile ?? (await prepareLocalStack(options.backend ?? DEFAULT_LOCAL_BACKEND, log)),
    );
  const webRoot = options.webRoot ?? (await prepareWebApp(log));
  const client = cognitoClientFromStack(stack);
  assertAuthorizerAudience(stack, client.clientId);
  const origins = appOrigins(client.redirectUris);
  const [webOrigin] = origins;
  if (!webOrigin) {
    throw new Error('The stack registers no <origin>/callback redirect URI for the web app client.');
  }
  const webUrl = new URL(webOrigin);
  const webPort = options.webPort ?? webPortFrom(process.env, webUrl);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const cloud = await startLocalCloud({
      stack,
      ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
      ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
      ...(options.faults && { faults: options.faults }),
      ...(options.schedules && { schedules: options.schedules }),
      ...(options.renditionLadder && { renditionLadder: options.renditionLadder }),
    });
    stops.push(() => cloud.stop());
    const identity = await startCognitoEmulator({
      client,
      ...(options.identityPort !== undefined && { port: options.identityPort }),
      ...(options.tokenLifetimes && { lifetimes: options.tokenLifetimes }),
    });
    stops.push(() => identity.stop());
    const api = await startLocalCloudApi(cloud, {
      identity: identity.identity,
      ...(options.apiPort !== undefined && { port: options.apiPort }),
      ...(options.accessLog && { accessLog: options.accessLog }),
    });
    stops.push(() => api.close());
    const configInput = {
      apiUrl: api.url,
      authority: identity.issuer,
      clientId: client.clientId,
      scope: client.scopes.join(' '),
      origins,
    };
    const web = await startWebServer({
      root: webRoot,
      host: webUrl.hostname,
      port: webPort,
      config: (origin) => webConfigFor(origin, configInput),
      headers:
        options.webHeaders ??
        securityHeaders(
          {
            connect: [api.url, identity.issuer, cloud.endpoints.s3],
            media: [cloud.endpoints.s3],
            formAction: [identity.issuer],
          },
          { https: false },
        ),
    });
    stops.push(() => web.close());
    return {
      cloud,
      api,
      identity,
      web,
      urls: { web: web.url, api: api.url, issuer: identity.issuer },
      stop,
      abort: () => cloud.abort(),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
