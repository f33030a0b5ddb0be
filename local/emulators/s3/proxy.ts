import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { AwsChunkedDecoder, decodedHeaders, isAwsChunked } from './aws-chunked.ts';
import type { Gateway } from './gateway.ts';
import { sendError, subresources } from './http.ts';
import { backendCopySource, backendPath, keyTooLong, restoreKeysInXml, storageKey } from './keys.ts';

/**
 * Streams a request to s3rver and its answer back; resolves to the upstream status once the answer
 * has started. `path` reroutes it (an archived version), `dropQuery` removes parameters s3rver must
 * not see, and `beforeRespond` adds headers (and may record a version) before the client hears back.
 */
export const proxy = (
  gateway: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: {
    bucket: string | undefined;
    key: string | undefined;
    path?: string;
    dropQuery?: readonly string[];
    beforeRespond?: (status: number) => Promise<Record<string, string>>;
  },
): Promise<number> =>
  new Promise((resolve, reject) => {
    const chunked = isAwsChunked(req.headers);
    const query = new URLSearchParams(url.search);
    for (const name of target.dropQuery ?? []) query.delete(name);
    const search = query.toString();
    const headers = chunked ? decodedHeaders(req.headers) : { ...req.headers };
    const copySource = req.headers['x-amz-copy-source'];
    let renamed = target.key !== undefined && storageKey(target.key) !== target.key;
    if (typeof copySource === 'string') {
      const source = backendCopySource(copySource);
      const tooLong = keyTooLong(source.key);
      if (tooLong) {
        sendError(res, tooLong);
        req.resume();
        resolve(tooLong.status);
        return;
      }
      if (source.versionId !== undefined) {
        sendError(res, {
          status: 501,
          code: 'NotImplemented',
          message: 'The local S3 gateway copies only the current version of an object.',
        });
        req.resume();
        resolve(501);
        return;
      }
      headers['x-amz-copy-source'] = source.value;
      renamed ||= storageKey(source.key) !== source.key;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: gateway.backendPort,
        method: req.method,
        path: (target.path ?? backendPath(target.bucket, target.key)) + (search ? `?${search}` : ''),
        headers,
      },
      (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        upstreamRes.on('error', () => res.destroy());
        // s3rver's XML answers (multipart uploads, errors) name storage names; clients must see keys.
        const isObjectBody = req.method === 'GET' && status < 300 && subresources(url).length === 0;
        const rewrite =
          renamed && !isObjectBody && /xml/.test(String(upstreamRes.headers['content-type'] ?? ''));
        void (target.beforeRespond?.(status) ?? Promise.resolve({})).then(
          (extra) => {
            if (rewrite) {
              const chunks: Buffer[] = [];
              upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
              upstreamRes.on('end', () => {
                const body = restoreKeysInXml(Buffer.concat(chunks).toString('utf8'));
                const { 'content-length': _length, ...rest } = upstreamRes.headers;
                res.writeHead(status, { ...rest, ...extra, 'content-length': Buffer.byteLength(body) });
                res.end(body);
              });
              resolve(status);
              return;
            }
            res.writeHead(status, { ...upstreamRes.headers, ...extra });
            const subresource = subresources(url).length > 0;
            if (req.method === 'GET' && target.bucket && target.key !== undefined && !subresource) {
              const id = `${target.bucket}/${target.key}`;
              upstreamRes.on('data', (chunk: Buffer) =>
                gateway.bytesServed.set(id, (gateway.bytesServed.get(id) ?? 0) + chunk.length),
              );
            }
            upstreamRes.pipe(res);
            // A client that hangs up mid-body (ffprobe does, once it has the moov box) must release
            // the s3rver connection too, or it stays paused forever and s3rver never closes.
            res.on('close', () => {
              if (!upstreamRes.complete) upstream.destroy();
            });
            resolve(status);
          },
          (error: unknown) => {
            upstreamRes.resume();
            reject(error);
          },
        );
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) sendError(res, { status: 502, code: 'InternalError', message: error.message });
      else res.destroy();
      resolve(502);
    });
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    if (chunked) {
      const decoder = new AwsChunkedDecoder();
      decoder.on('error', (error) => upstream.destroy(error));
      req.pipe(decoder).pipe(upstream);
    } else {
      req.pipe(upstream);
    }
  });

export const backendFetch = (
  port: number,
  req: IncomingMessage,
  url: URL,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: `/${url.search}`,
        headers: req.headers,
      },
      (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on('end', () =>
          resolve({
            status: upstreamRes.statusCode ?? 502,
            headers: upstreamRes.headers,
            body: Buffer.concat(chunks),
          }),
        );
        upstreamRes.on('error', reject);
      },
    );
    upstream.on('error', reject);
    req.pipe(upstream);
  });
