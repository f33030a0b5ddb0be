import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { contentTypeOf, HASHED_ASSETS_DIR, IMMUTABLE, NO_CACHE } from '#shared/web';

/** The web server could not start (its port is taken, say); the message says what to do. */
export class WebServerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebServerError';
  }
}

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  /** The built app (`web/dist`). */
  readonly root: string;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The body of `GET /config.json` for a request from `origin` (`http://<Host header>`). */
  readonly config: (origin: string | undefined) => unknown;
  /** Headers on every response, e.g. the deployed Content-Security-Policy. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A running web server. */
export interface WebServer {
  /** `http://<host>:<port>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>24-Hour Video: the web app is not built</title></head>
<body><main><h1>The web app is not built yet</h1><p>Run <code>npm run build:web</code>, then reload.</p></main></body></html>
`;

/** True for a path that names a file (an extension in its last segment, or anything under `/assets/`). */
function looksLikeAsset(path: string): boolean {
  return path.startsWith(`/${HASHED_ASSETS_DIR}`) || extname(path.slice(path.lastIndexOf('/') + 1)) !== '';
}

async function fileAt(path: string): Promise<{ size: number; mtime: Date } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtime: info.mtime } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves a single-page app's build on `host:port` like the deployed CloudFront distribution: files
 * with their content type, hashed `assets/*` cached as immutable, `index.html` and `config.json`
 * `no-cache`, and every other GET path that does not look like a file answered with `index.html`
 * (client routes); a missing file is a real 404. `config.json` comes from `options.config`.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = resolve(options.root);
  const host = options.host ?? '127.0.0.1';
  // Lower-cased, so a caller's `X-Content-Type-Options` replaces the default instead of doubling it.
  const given = Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]);
  const common = { ...BASE_HEADERS, ...Object.fromEntries(given) };

  const send = (
    response: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
    head: boolean,
  ) => {
    const payload = Buffer.from(body);
    response.writeHead(status, { ...common, ...headers, 'content-length': String(payload.length) });
    response.end(head ? undefined : payload);
  };

  const serveFile = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    cacheControl: string,
    head: boolean,
  ): Promise<boolean> => {
    const file = await fileAt(path);
    if (!file) return false;
    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtime.getTime()).toString(16)}"`;
    const headers = {
      ...common,
      'content-type': contentTypeOf(path),
      'cache-control': cacheControl,
      etag,
      'last-modified': file.mtime.toUTCString(),
    };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers);
      response.end();
      return true;
    }
    response.writeHead(200, { ...headers, 'content-length': String(file.size) });
    if (head) {
      response.end();
      return true;
    }
    await new Promise<void>((resolvePromise, reject) => {
      const stream = createReadStream(path);
      stream.on('error', reject);
      response.on('close', () => {
        stream.destroy();
        resolvePromise();
      });
      stream.pipe(response);
    });
    return true;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const head = method === 'HEAD';
    if (method !== 'GET' && !head) {
      send(
        response,
        405,
        { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
        'Method Not Allowed\n',
        false,
      );
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      send(response, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'Bad Request\n', head);
      return;
    }
    if (path === '/config.json') {
      const origin = request.headers.host ? `http://${request.headers.host}` : undefined;
      send(
        response,
        200,
        { 'content-type': 'application/json; charset=utf-8', 'cache-control': NO_CACHE },
        JSON.stringify(options.config(origin)),
        head,
      );
      return;
    }
    const file = normalize(join(root, path));
    const inside = file === root || file.startsWith(root + sep);
    const index = join(root, 'index.html');
    if (inside && file !== index && path !== '/') {
      const cache = path.startsWith(`/${HASHED_ASSETS_DIR}`) ? IMMUTABLE : NO_CACHE;
      if (await serveFile(request, response, file, cache, head)) return;
    }
    if (!inside || (looksLikeAsset(path) && path !== '/index.html')) {
      send(
        response,
        404,
        { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NO_CACHE },
        'Not Found\n',
        head,
      );
      return;
    }
    if (await serveFile(request, response, index, NO_CACHE, head)) return;
    send(
      response,
      503,
      { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_CACHE },
      NOT_BUILT,
      head,
    );
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else
        send(
          response,
          500,
          { 'content-type': 'text/plain; charset=utf-8' },
          'Internal Server Error\n',
          false,
        );
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new WebServerError(
              `${host}:${options.port} is in use — stop the other \`npm start\` (or whatever listens there) and try again. The web app must be served from the stack's webOrigin, because the sign-in redirects and CORS name it.`,
              { cause: error },
            )
          : new WebServerError(
              `The web server could not listen on ${host}:${options.port}: ${error.message}`,
              {
                cause: error,
              },
            ),
      ),
    );
    server.listen(options.port, host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
