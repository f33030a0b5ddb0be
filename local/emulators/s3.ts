import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import busboy from 'busboy';
import { AwsChunkedDecoder, decodedHeaders, isAwsChunked } from './aws-chunked.ts';
import {
  configMatches,
  type NotificationConfig,
  type NotificationTarget,
  s3EventBridgeEntry,
  s3EventRecord,
  sequencerSource,
} from './s3-notifications.ts';
import {
  checkContentLength,
  checkPostPolicy,
  errorXml,
  isErrorReply,
  type S3ErrorReply,
} from './s3-post-policy.ts';

const require = createRequire(import.meta.url);

interface S3rverInstance extends EventEmitter {
  readonly httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver ships no types. Its accounts live in a process-wide registry.
const S3rver = require('s3rver') as S3rverClass;
const AWSAccount = require('s3rver/lib/models/account.js') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};

/** Credentials every local client signs with; the S3 emulator verifies signatures against them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** An S3 notification ready for delivery: where it goes and the S3 event (`{ Records: [record] }`). */
export interface S3Notification {
  readonly target: NotificationTarget;
  readonly event: { Records: [Record<string, unknown>] };
}

/** A CORS rule of a bucket, as `aws_s3_bucket_cors_configuration` declares it. */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
}

/** The running S3 emulator. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` of the gateway: the endpoint clients use (path-style). */
  readonly endpoint: string;
  /** Client pointed at the gateway with the local credentials. */
  readonly client: S3Client;
  /**
   * Emits `notification` ({@link S3Notification}) for every event a bucket's configuration selects,
   * and `eventbridge` (a `PutEventEntry`) for every object created in a bucket with EventBridge on.
   */
  readonly notifications: EventEmitter;
  /** Bytes of object data served by GET per `bucket/key`; ranged reads count only what was sent. */
  readonly bytesServed: Map<string, number>;
  createBucket(name: string): Promise<void>;
  setNotifications(bucket: string, configs: readonly NotificationConfig[]): void;
  /** Sends the bucket's events to EventBridge too (`eventbridge = true` on its notification). */
  setEventBridge(bucket: string, enabled: boolean): void;
  setCors(bucket: string, rules: readonly CorsRule[]): Promise<void>;
  /** Resolves once every write so far has been announced to its notification targets. */
  whenAnnounced(): Promise<void>;
  /** Turns versioning on for a bucket: every write gets a version id, in its response and its event. */
  setVersioning(bucket: string, enabled: boolean): void;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (files under `dataDir`) behind a gateway on 127.0.0.1 that adds what s3rver
 * lacks: event notifications shaped and encoded as S3 sends them, filtered by the bucket's
 * configuration; browser POST uploads checked against their policy; byte counts per object.
 */
export async function startS3(options: {
  dataDir: string;
  region: string;
  /** The account S3 names as requester in EventBridge events. */
  account?: string;
}): Promise<LocalS3> {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
  await mkdir(options.dataDir, { recursive: true });
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    // The gateway rewrites aws-chunked uploads into plain bodies, which changes what was signed.
    allowMismatchedSignatures: true,
    directory: join(options.dataDir, 'objects'),
  });
  const backendAddress = await backend.run();
  const backendEndpoint = `http://127.0.0.1:${backendAddress.port}`;
  const backendClient = new S3Client({
    endpoint: backendEndpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // This client talks to s3rver directly, which stores aws-chunked stream bodies verbatim (framing included).
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  const notifications = new EventEmitter();
  const configs = new Map<string, readonly NotificationConfig[]>();
  const toEventBridge = new Set<string>();
  const cors = new Map<string, readonly CorsRule[]>();
  const bytesServed = new Map<string, number>();
  const nextSequencer = sequencerSource();
  // Keys written by a browser POST: s3rver stores them with a PUT, S3 names the event Post.
  const postedKeys = new Set<string>();
  const versioned = new Set<string>();
  const latestVersion = new Map<string, string>();
  const announced = new Set<Promise<void>>();

  const announce = async (
    eventName: string,
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<void> => {
    const wanted = (configs.get(bucket) ?? []).filter((c) => configMatches(c, eventName, key));
    const bridged = toEventBridge.has(bucket) && eventName.startsWith('ObjectCreated:');
    if (wanted.length === 0 && !bridged) return;
    const head = await backendClient.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sequencer = nextSequencer();
    const time = new Date();
    const object = {
      bucket,
      key,
      size: head.ContentLength ?? 0,
      eTag: head.ETag?.replace(/"/g, ''),
      ...(versionId && { versionId }),
    };
    for (const config of wanted) {
      const record = s3EventRecord(object, {
        eventName,
        configurationId: config.id,
        region: options.region,
        sequencer,
        time,
      });
      notifications.emit('notification', { target: config.target, event: { Records: [record] } });
    }
    // S3 sends every event of the bucket to EventBridge, whatever the notification filters select.
    const entry = bridged
      ? s3EventBridgeEntry(object, { eventName, sequencer, requester: options.account ?? 'local', time })
      : undefined;
    if (entry) notifications.emit('eventbridge', entry);
  };

  backend.on(
    'event',
    (event: {
      Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
    }) => {
      for (const record of event.Records) {
        const bucket = record.s3.bucket.name;
        const key = record.s3.object.key;
        const posted = postedKeys.delete(`${bucket}/${key}`);
        // s3rver keeps one version per key; the id only has to be new for every write, as S3's are.
        const versionId = versioned.has(bucket) ? randomBytes(24).toString('base64url') : undefined;
        if (versionId) latestVersion.set(`${bucket}/${key}`, versionId);
        // s3rver names a completed multipart upload "Post"; S3 calls it CompleteMultipartUpload.
        const eventName =
          record.eventName === 'ObjectCreated:Post' && !posted
            ? 'ObjectCreated:CompleteMultipartUpload'
            : posted
              ? 'ObjectCreated:Post'
              : record.eventName;
        const delivery = announce(eventName, bucket, key, versionId).catch((error: unknown) => {
          notifications.emit('error', error);
        });
        announced.add(delivery);
        void delivery.finally(() => announced.delete(delivery));
      }
    },
  );

  const tmpDir = join(options.dataDir, 'post');
  await mkdir(tmpDir, { recursive: true });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').filter(Boolean);
    const bucket = segments[0] ? decodeURIComponent(segments[0]) : undefined;
    const isBrowserPost =
      req.method === 'POST' &&
      segments.length === 1 &&
      url.search === '' &&
      (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    if (bucket && isBrowserPost) {
      handlePost(req, res, bucket).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, { status: 500, code: 'InternalError', message: String(error) });
        else res.destroy();
      });
      return;
    }
    proxy(req, res, url, bucket, segments.length > 1 ? segments.slice(1).join('/') : undefined);
  });

  const proxy = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    bucket: string | undefined,
    rawKey: string | undefined,
  ): void => {
    const chunked = isAwsChunked(req.headers);
    const upstream = request(
      {
        host: '127.0.0.1',
        port: backendAddress.port,
        method: req.method,
        path: url.pathname + url.search,
        headers: chunked ? decodedHeaders(req.headers) : req.headers,
      },
      (upstreamRes) => {
        const written = req.method === 'PUT' || req.method === 'POST';
        const version =
          written && bucket && rawKey
            ? latestVersion.get(`${bucket}/${decodeURIComponent(rawKey)}`)
            : undefined;
        res.writeHead(upstreamRes.statusCode ?? 502, {
          ...upstreamRes.headers,
          ...(version && (upstreamRes.statusCode ?? 500) < 300 && { 'x-amz-version-id': version }),
        });
        const subresource = [...url.searchParams.keys()].some(
          (name) => !/^(x-amz-|x-id$|response-)/i.test(name),
        );
        if (req.method === 'GET' && bucket && rawKey && !subresource) {
          const id = `${bucket}/${decodeURIComponent(rawKey)}`;
          upstreamRes.on('data', (chunk: Buffer) =>
            bytesServed.set(id, (bytesServed.get(id) ?? 0) + chunk.length),
          );
        }
        upstreamRes.pipe(res);
        // A client that hangs up mid-body (ffprobe does, once it has the moov box) must release
        // the s3rver connection too, or it stays paused forever and s3rver never closes.
        res.on('close', () => {
          if (!upstreamRes.complete) upstream.destroy();
        });
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) sendError(res, { status: 502, code: 'InternalError', message: error.message });
      else res.destroy();
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
  };

  const corsHeaders = (req: IncomingMessage, bucket: string): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin) return {};
    const rule = (cors.get(bucket) ?? []).find(
      (r) => r.allowedMethods.includes('POST') && r.allowedOrigins.some((o) => o === '*' || o === origin),
    );
    if (!rule) return {};
    return {
      'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
      'access-control-allow-methods': rule.allowedMethods.join(', '),
      ...(rule.exposeHeaders?.length && { 'access-control-expose-headers': rule.exposeHeaders.join(', ') }),
      vary: 'Origin',
    };
  };

  const sendError = (
    res: ServerResponse,
    reply: S3ErrorReply,
    headers: Record<string, string> = {},
  ): void => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.writeHead(reply.status, {
      'content-type': 'application/xml',
      'x-amz-request-id': requestId,
      ...headers,
    });
    res.end(errorXml(reply, requestId));
  };

  // https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
  const handlePost = async (req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> => {
    const headers = corsHeaders(req, bucket);
    const fields = new Map<string, string>();
    const original = new Map<string, string>();
    const tmpFile = join(tmpDir, randomBytes(8).toString('hex'));
    let outcome: { reply?: S3ErrorReply; size?: number; contentType?: string } = {};
    let sawFile = false;
    await new Promise<void>((resolve, reject) => {
      const form = busboy({ headers: req.headers, limits: { fields: 100, files: 1 } });
      form.on('field', (name, value) => {
        fields.set(name.toLowerCase(), value);
        original.set(name.toLowerCase(), name);
      });
      form.on('file', (_name, stream, info) => {
        sawFile = true;
        if (outcome.reply) {
          stream.resume();
          return;
        }
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        const write = pipeline(stream, createWriteStream(tmpFile)).then(() => {
          outcome = { ...outcome, size, contentType: info.mimeType };
        });
        write.catch(reject);
        pending.push(write);
      });
      const pending: Promise<void>[] = [];
      form.on('close', () => {
        Promise.all(pending).then(() => resolve(), reject);
      });
      form.on('error', reject);
      req.pipe(form);
    });
    try {
      const key = fields.get('key');
      if (!sawFile) {
        return sendError(
          res,
          {
            status: 400,
            code: 'InvalidArgument',
            message: 'POST requires exactly one file upload per request.',
          },
          headers,
        );
      }
      if (key === undefined || key === '') {
        return sendError(
          res,
          {
            status: 400,
            code: 'InvalidArgument',
            message:
              "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
          },
          headers,
        );
      }
      const accepted = checkPostPolicy(
        fields,
        bucket,
        (id) => (id === LOCAL_CREDENTIALS.accessKeyId ? LOCAL_CREDENTIALS.secretAccessKey : undefined),
        new Date(),
      );
      if (isErrorReply(accepted)) return sendError(res, accepted, headers);
      const size = (await stat(tmpFile)).size;
      const tooBig = checkContentLength(accepted, size);
      if (tooBig) return sendError(res, tooBig, headers);

      const metadata = Object.fromEntries(
        [...fields]
          .filter(([name]) => name.startsWith('x-amz-meta-'))
          .map(([name, value]) => [name.slice(11), value]),
      );
      postedKeys.add(`${bucket}/${key}`);
      const put = await backendClient.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(tmpFile),
          ContentLength: size,
          ContentType: fields.get('content-type') ?? outcome.contentType ?? 'binary/octet-stream',
          ...(Object.keys(metadata).length > 0 && { Metadata: metadata }),
          ...(fields.get('tagging') && { Tagging: tagsFromXml(fields.get('tagging') ?? '') }),
        }),
      );
      const status = Number(fields.get('success_action_status') ?? '204');
      const location = `${endpoint}/${bucket}/${encodeURIComponent(key)}`;
      const version = latestVersion.get(`${bucket}/${key}`);
      const common = {
        ...headers,
        etag: put.ETag ?? '',
        location,
        ...(version && { 'x-amz-version-id': version }),
      };
      if (status === 201) {
        res.writeHead(201, { ...common, 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${location}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>${put.ETag ?? ''}</ETag></PostResponse>`,
        );
      } else {
        res.writeHead(status === 200 ? 200 : 204, common);
        res.end();
      }
    } finally {
      await rm(tmpFile, { force: true });
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new S3Client({
    endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });

  return {
    endpoint,
    client,
    notifications,
    bytesServed,
    async createBucket(name) {
      await backendClient.send(new CreateBucketCommand({ Bucket: name }));
    },
    setNotifications(bucket, list) {
      configs.set(bucket, list);
    },
    setEventBridge(bucket, enabled) {
      if (enabled) toEventBridge.add(bucket);
      else toEventBridge.delete(bucket);
    },
    async whenAnnounced() {
      while (announced.size > 0) await Promise.allSettled([...announced]);
    },
    setVersioning(bucket, enabled) {
      if (enabled) versioned.add(bucket);
      else versioned.delete(bucket);
    },
    async setCors(bucket, rules) {
      cors.set(bucket, rules);
      await backendClient.send(
        new PutBucketCorsCommand({
          Bucket: bucket,
          CORSConfiguration: {
            CORSRules: rules.map((rule) => ({
              AllowedOrigins: [...rule.allowedOrigins],
              AllowedMethods: [...rule.allowedMethods],
              ...(rule.allowedHeaders && { AllowedHeaders: [...rule.allowedHeaders] }),
              ...(rule.exposeHeaders && { ExposeHeaders: [...rule.exposeHeaders] }),
              ...(rule.maxAgeSeconds !== undefined && { MaxAgeSeconds: rule.maxAgeSeconds }),
            })),
          },
        }),
      );
    },
    async stop() {
      await Promise.allSettled([...announced]);
      client.destroy();
      backendClient.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      backend.httpServer?.closeAllConnections();
      await backend.close();
    },
  };
}

function tagsFromXml(xml: string): string {
  const pairs = [...xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g)];
  return pairs.map(([, k, v]) => `${encodeURIComponent(k ?? '')}=${encodeURIComponent(v ?? '')}`).join('&');
}
