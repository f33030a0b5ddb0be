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
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import busboy from 'busboy';
import { meterS3Request, type UsageMeter } from '#local/usage';
import { type FaultRegistry, s3FaultMatches } from '../faults.ts';
import { AwsChunkedDecoder, decodedHeaders, isAwsChunked } from './aws-chunked.ts';
import {
  backendCopySource,
  backendPath,
  InvalidUriError,
  isValidBucketName,
  keyFromStorage,
  keyTooLong,
  parseRequestTarget,
  restoreKeysInXml,
  storageKey,
} from './s3-keys.ts';
import {
  LIST_PARAMETERS,
  type ListedObject,
  listObjectsXml,
  listPage,
  parseListQuery,
} from './s3-listing.ts';
import {
  configMatches,
  type NotificationConfig,
  type NotificationTarget,
  s3EventBridgeEntry,
  s3EventRecord,
  sequencerSource,
} from './s3-notifications.ts';
import {
  ARCHIVE_BUCKET,
  type DeleteOutcome,
  deleteResultXml,
  listVersionsXml,
  parseDeleteRequest,
  VersionStore,
  xmlText,
} from './s3-versions.ts';
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
  /** Injected faults (tests): `503 SlowDown` or a stall for matching object requests. */
  faults?: FaultRegistry;
  /** Counts every request by requester and price class. */
  usage?: UsageMeter;
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
  storeUnderStorageNames(backendClient);

  await backendClient.send(new CreateBucketCommand({ Bucket: ARCHIVE_BUCKET }));

  const notifications = new EventEmitter();
  const configs = new Map<string, readonly NotificationConfig[]>();
  const toEventBridge = new Set<string>();
  const cors = new Map<string, readonly CorsRule[]>();
  const bytesServed = new Map<string, number>();
  const nextSequencer = sequencerSource();
  // Keys written by a browser POST: s3rver stores them with a PUT, S3 names the event Post.
  const postedKeys = new Set<string>();
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
    // A removal has no object left to describe: S3 sends neither size nor eTag for it.
    const head = eventName.startsWith('ObjectRemoved:')
      ? undefined
      : await backendClient.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sequencer = nextSequencer();
    const time = new Date();
    const object = {
      bucket,
      key,
      size: head?.ContentLength ?? 0,
      eTag: head?.ETag?.replace(/"/g, ''),
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
  const queueAnnouncement = (eventName: string, bucket: string, key: string, versionId?: string): void => {
    const delivery = announce(eventName, bucket, key, versionId).catch((error: unknown) => {
      notifications.emit('error', error);
    });
    announced.add(delivery);
    void delivery.finally(() => announced.delete(delivery));
  };
  const versions = new VersionStore(backendClient, queueAnnouncement);

  backend.on(
    'event',
    (event: {
      Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
    }) => {
      for (const record of event.Records) {
        const bucket = record.s3.bucket.name;
        const key = keyFromStorage(record.s3.object.key);
        if (bucket === ARCHIVE_BUCKET) continue;
        const posted = postedKeys.delete(`${bucket}/${key}`);
        let versionId: string | undefined;
        if (versions.isVersioned(bucket)) {
          // The version store announces removals itself; its own copies are bookkeeping, not writes.
          if (record.eventName.startsWith('ObjectRemoved') || versions.consumeSuppressed(bucket, key))
            continue;
          versionId = versions.pendingVersion(bucket, key);
        }
        // s3rver names a completed multipart upload "Post"; S3 calls it CompleteMultipartUpload.
        const eventName =
          record.eventName === 'ObjectCreated:Post' && !posted
            ? 'ObjectCreated:CompleteMultipartUpload'
            : posted
              ? 'ObjectCreated:Post'
              : record.eventName;
        queueAnnouncement(eventName, bucket, key, versionId);
      }
    },
  );

  const tmpDir = join(options.dataDir, 'post');
  await mkdir(tmpDir, { recursive: true });

  const server: Server = createServer((req, res) => {
    // A client that hangs up mid-request must not become an unhandled 'error' that ends the process.
    req.on('error', () => res.destroy());
    res.on('error', () => undefined);
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else if (error instanceof InvalidUriError) {
        sendError(res, { status: 400, code: 'InvalidURI', message: error.message });
      } else {
        notifications.emit('error', error);
        sendError(res, { status: 500, code: 'InternalError', message: String(error) });
      }
    });
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { bucket, key, query } = parseRequestTarget(req.url ?? '/');
    const url = new URL(`http://localhost/${query === '' ? '' : `?${query}`}`);
    const method = req.method ?? 'GET';
    meterS3Request(options.usage, req, { bucket, key }, new URLSearchParams(query));
    if (bucket === ARCHIVE_BUCKET) {
      return sendError(res, {
        status: 404,
        code: 'NoSuchBucket',
        message: 'The specified bucket does not exist',
      });
    }
    if (bucket !== undefined && !isValidBucketName(bucket)) {
      return sendError(res, {
        status: 400,
        code: 'InvalidBucketName',
        message: 'The specified bucket is not valid.',
        extra: { BucketName: bucket },
      });
    }
    const tooLong = key === undefined ? undefined : keyTooLong(key);
    if (tooLong) return sendError(res, tooLong);
    if (bucket === undefined && method === 'GET') return listBuckets(req, res, url);
    const isBrowserPost =
      method === 'POST' &&
      key === undefined &&
      url.search === '' &&
      (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    if (options.faults && (isBrowserPost || (key !== undefined && subresources(url).length === 0))) {
      const fault = options.faults.take('s3', `${method} ${bucket}/${key ?? ''}`, (f) =>
        s3FaultMatches(f, { bucket, key, method }),
      );
      if (fault?.kind === 'stall') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (fault?.kind === 'slow-down') {
        await new Promise((resolve) => req.resume().once('end', resolve).once('error', resolve));
        return sendError(res, { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' });
      }
    }
    if (bucket && isBrowserPost) return handlePost(req, res, bucket);
    if (bucket && key === undefined) {
      const sub = subresources(url);
      if (method === 'GET' && sub.every((name) => LIST_PARAMETERS.has(name))) {
        return listObjects(res, url, bucket);
      }
      if (method === 'POST' && sub.length === 1 && sub[0] === 'delete') {
        return deleteObjects(req, res, bucket);
      }
    }
    if (bucket && versions.isVersioned(bucket)) {
      const handled = await routeVersioned(req, res, url, bucket, key);
      if (handled) return;
    }
    await proxy(req, res, url, { bucket, key });
  };

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
  const listObjects = async (res: ServerResponse, url: URL, bucket: string): Promise<void> => {
    const query = parseListQuery(url.searchParams);
    if ('code' in query) return sendError(res, query);
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await backendClient
        .send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))
        .catch((error: unknown) => {
          if ((error as { name?: string }).name === 'NoSuchBucket') return undefined;
          throw error;
        });
      if (!page) {
        return sendError(res, {
          status: 404,
          code: 'NoSuchBucket',
          message: 'The specified bucket does not exist',
          extra: { BucketName: bucket },
        });
      }
      for (const object of page.Contents ?? []) {
        objects.push({
          key: keyFromStorage(object.Key ?? ''),
          lastModified: object.LastModified ?? new Date(0),
          etag: object.ETag ?? '',
          size: object.Size ?? 0,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
    res.end(listObjectsXml(bucket, query, listPage(objects, query), options.account ?? 'local'));
  };

  /** Requests whose meaning versioning changes; false when the plain proxy serves it. */
  const routeVersioned = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    bucket: string,
    key: string | undefined,
  ): Promise<boolean> => {
    const method = req.method ?? 'GET';
    const sub = subresources(url);
    const versionId = url.searchParams.get('versionId') ?? undefined;
    if (key === undefined) {
      if (method === 'GET' && sub.includes('versions')) {
        listObjectVersions(res, url, bucket);
        return true;
      }
      return false;
    }
    const isWrite =
      (method === 'PUT' && sub.length === 0) ||
      (method === 'POST' && sub.length === 1 && sub[0] === 'uploadId');
    if (isWrite) {
      const tagging = req.headers['x-amz-tagging'];
      await versions.write(
        bucket,
        key,
        async (newVersionId, commit) => {
          const status = await proxy(req, res, url, {
            bucket,
            key,
            beforeRespond: async (upstream): Promise<Record<string, string>> => {
              if (upstream >= 300) return {};
              await commit();
              return { 'x-amz-version-id': newVersionId };
            },
          });
          return status < 300;
        },
        typeof tagging === 'string' ? { tagging } : {},
      );
      return true;
    }
    if (method === 'DELETE' && sub.length === 0) {
      const outcome = await versions.delete(bucket, key, versionId);
      const version = outcome.versionId ?? outcome.deleteMarkerVersionId;
      res.writeHead(204, {
        'x-amz-request-id': requestId(),
        ...(version !== undefined && { 'x-amz-version-id': version }),
        ...(outcome.deleteMarker && { 'x-amz-delete-marker': 'true' }),
      });
      res.end();
      return true;
    }
    const isRead = (method === 'GET' || method === 'HEAD') && sub.length === 0;
    const isTagging = (method === 'GET' || method === 'PUT') && sub.length === 1 && sub[0] === 'tagging';
    if (!isRead && !isTagging) {
      if (versionId === undefined) return false;
      sendError(res, {
        status: 501,
        code: 'NotImplemented',
        message: 'The local S3 gateway serves versionId only for GET, HEAD, DELETE and tagging.',
      });
      return true;
    }
    const location = await versions.locate(bucket, key, versionId);
    switch (location.kind) {
      case 'no-such-version':
        sendError(res, {
          status: 404,
          code: 'NoSuchVersion',
          message: 'The specified version does not exist.',
        });
        return true;
      case 'delete-marker': {
        const headers = {
          'x-amz-delete-marker': 'true',
          'x-amz-version-id': location.version.versionId,
          'last-modified': location.version.lastModified.toUTCString(),
        };
        // The latest version is a marker: the key is not found. A marker named by its id: not a GET target.
        if (versionId === undefined) {
          sendError(
            res,
            { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' },
            headers,
          );
        } else {
          sendError(
            res,
            {
              status: 405,
              code: 'MethodNotAllowed',
              message: 'The specified method is not allowed against this resource.',
            },
            { ...headers, allow: 'DELETE' },
          );
        }
        return true;
      }
      case 'current': {
        const current = location.version?.versionId;
        await proxy(req, res, url, {
          bucket,
          key,
          dropQuery: ['versionId'],
          beforeRespond: async (status): Promise<Record<string, string>> =>
            status < 300 && current ? { 'x-amz-version-id': current } : {},
        });
        return true;
      }
      case 'archived':
        await proxy(req, res, url, {
          bucket,
          key,
          path: `/${ARCHIVE_BUCKET}/${location.archiveKey.split('/').map(encodeURIComponent).join('/')}`,
          dropQuery: ['versionId'],
          beforeRespond: async (status): Promise<Record<string, string>> =>
            status < 300 ? { 'x-amz-version-id': location.version.versionId } : {},
        });
        return true;
    }
  };

  const listObjectVersions = (res: ServerResponse, url: URL, bucket: string): void => {
    if (url.searchParams.has('delimiter')) {
      sendError(res, {
        status: 501,
        code: 'NotImplemented',
        message: 'The local S3 gateway lists versions without a delimiter only.',
      });
      return;
    }
    const maxKeysParam = url.searchParams.get('max-keys');
    const maxKeys = maxKeysParam === null ? 1000 : Number(maxKeysParam);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) {
      sendError(res, {
        status: 400,
        code: 'InvalidArgument',
        message: 'Provided max-keys not an integer or within integer range',
      });
      return;
    }
    const query = {
      prefix: url.searchParams.get('prefix') ?? '',
      keyMarker: url.searchParams.get('key-marker') ?? '',
      versionIdMarker: url.searchParams.get('version-id-marker') ?? '',
      maxKeys: Math.min(maxKeys, 1000),
      encodeUrl: url.searchParams.get('encoding-type') === 'url',
    };
    const listing = versions.list(bucket, {
      prefix: query.prefix,
      ...(query.keyMarker !== '' && { keyMarker: query.keyMarker }),
      ...(query.versionIdMarker !== '' && { versionIdMarker: query.versionIdMarker }),
      maxKeys: query.maxKeys,
    });
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
    res.end(listVersionsXml(bucket, query, listing, options.account ?? 'local'));
  };

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
  const deleteObjects = async (req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> => {
    const hasChecksum = Object.keys(req.headers).some(
      (name) => name === 'content-md5' || name.startsWith('x-amz-checksum-'),
    );
    const body = (await readRequestBody(req)).toString('utf8');
    if (!hasChecksum) {
      return sendError(res, {
        status: 400,
        code: 'InvalidRequest',
        message: 'Missing required header for this request: Content-MD5',
      });
    }
    const request = parseDeleteRequest(body);
    if (!request || request.objects.length === 0 || request.objects.length > 1000) {
      return sendError(res, {
        status: 400,
        code: 'MalformedXML',
        message: 'The XML you provided was not well-formed or did not validate against our published schema',
      });
    }
    const deleted: DeleteOutcome[] = [];
    const errors: { key: string; versionId?: string; code: string; message: string }[] = [];
    for (const object of request.objects) {
      const tooLong = keyTooLong(object.key);
      if (tooLong) {
        errors.push({ ...object, code: tooLong.code, message: tooLong.message });
        continue;
      }
      try {
        if (versions.isVersioned(bucket)) {
          deleted.push(await versions.delete(bucket, object.key, object.versionId));
        } else {
          await backendClient.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key }));
          deleted.push({ key: object.key, deleteMarker: false });
        }
      } catch (error) {
        errors.push({ ...object, code: 'InternalError', message: String(error) });
      }
    }
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
    res.end(deleteResultXml(deleted, errors, request.quiet));
  };

  /** ListBuckets, without the gateway's own archive bucket. */
  const listBuckets = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const upstream = await backendFetch(req, url);
    const text = upstream.body
      .toString('utf8')
      .replace(new RegExp(`<Bucket>\\s*<Name>${ARCHIVE_BUCKET}</Name>[\\s\\S]*?</Bucket>`), '');
    const { 'content-length': _length, ...headers } = upstream.headers;
    res.writeHead(upstream.status, headers);
    res.end(text);
  };

  const backendFetch = (
    req: IncomingMessage,
    url: URL,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = request(
        {
          host: '127.0.0.1',
          port: backendAddress.port,
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

  /**
   * Streams a request to s3rver and its answer back; resolves to the upstream status once the answer
   * has started. `path` reroutes it (an archived version), `dropQuery` removes parameters s3rver must
   * not see, and `beforeRespond` adds headers (and may record a version) before the client hears back.
   */
  const proxy = (
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
          port: backendAddress.port,
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
                  bytesServed.set(id, (bytesServed.get(id) ?? 0) + chunk.length),
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
    const id = requestId();
    res.writeHead(reply.status, {
      'content-type': 'application/xml',
      'x-amz-request-id': id,
      ...headers,
    });
    res.end(errorXml(reply, id));
  };

  // https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
  const handlePost = async (req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> => {
    const headers = corsHeaders(req, bucket);
    await mkdir(tmpDir, { recursive: true });
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
      const tooLong = keyTooLong(key);
      if (tooLong) return sendError(res, tooLong, headers);
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
      const tagging = fields.get('tagging') ? tagsFromXml(fields.get('tagging') ?? '') : undefined;
      const store = async () => {
        postedKeys.add(`${bucket}/${key}`);
        return backendClient.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: createReadStream(tmpFile),
            ContentLength: size,
            ContentType: fields.get('content-type') ?? outcome.contentType ?? 'binary/octet-stream',
            ...(Object.keys(metadata).length > 0 && { Metadata: metadata }),
            ...(tagging && { Tagging: tagging }),
          }),
        );
      };
      let put: Awaited<ReturnType<typeof store>> | undefined;
      const version = versions.isVersioned(bucket)
        ? await versions.write(
            bucket,
            key,
            async () => {
              put = await store();
              return true;
            },
            tagging ? { tagging } : {},
          )
        : undefined;
      if (!put) put = await store();
      const status = Number(fields.get('success_action_status') ?? '204');
      const location = `${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const common = {
        ...headers,
        etag: put.ETag ?? '',
        location,
        ...(version && { 'x-amz-version-id': version }),
      };
      if (status === 201) {
        res.writeHead(201, { ...common, 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xmlText(location)}</Location><Bucket>${bucket}</Bucket><Key>${xmlText(key)}</Key><ETag>${xmlText(put.ETag ?? '')}</ETag></PostResponse>`,
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
      if (name === ARCHIVE_BUCKET) {
        throw new Error(
          `${ARCHIVE_BUCKET} is the S3 gateway's own bucket for noncurrent versions; choose another name.`,
        );
      }
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
      versions.enable(bucket, enabled);
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

function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** Query parameters that name a subresource (`tagging`, `uploadId`, `versions`…), not signing or overrides. */
function subresources(url: URL): string[] {
  return [...url.searchParams.keys()].filter((name) => !/^(x-amz-|x-id$|response-|versionId$)/i.test(name));
}

async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function tagsFromXml(xml: string): string {
  const pairs = [...xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g)];
  return pairs.map(([, k, v]) => `${encodeURIComponent(k ?? '')}=${encodeURIComponent(v ?? '')}`).join('&');
}

/**
 * Makes every call of the gateway's own client to s3rver name keys by their storage names
 * ({@link storageKey}): `Key` and `CopySource` (which s3rver reads with `decodeURI`).
 */
function storeUnderStorageNames(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = { ...(args.input as { Key?: unknown; CopySource?: unknown }) };
      if (typeof input.Key === 'string') input.Key = storageKey(input.Key);
      if (typeof input.CopySource === 'string') {
        const source = decodeURI(input.CopySource);
        const slash = source.indexOf('/');
        input.CopySource = encodeURI(`${source.slice(0, slash)}/${storageKey(source.slice(slash + 1))}`);
      }
      return next({ ...args, input: input as typeof args.input });
    },
    { step: 'initialize', name: 'gatewayStorageNames' },
  );
}
