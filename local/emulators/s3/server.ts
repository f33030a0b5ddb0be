import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  type FaultRegistry,
  LOCAL_CREDENTIALS,
  type ServedEmulator,
  s3FaultMatches,
} from '#local/emulators/common';
import { meterS3Request, type UsageMeter } from '#local/usage';
import { announceBackendEvents, createAnnouncer } from './announcer.ts';
import { ARCHIVE_BUCKET } from './archive.ts';
import { startBackend } from './backend.ts';
import { deleteObjects, listBuckets, listObjects } from './bucket-operations.ts';
import type { CorsRule, Gateway } from './gateway.ts';
import { sendError, subresources } from './http.ts';
import { InvalidUriError, isValidBucketName, keyTooLong, parseRequestTarget } from './keys.ts';
import { LIST_PARAMETERS } from './listing.ts';
import type { NotificationConfig, NotificationTarget } from './notifications.ts';
import { handlePost } from './post-upload.ts';
import { proxy } from './proxy.ts';
import { routeVersioned } from './versioned.ts';
import { VersionStore } from './versions.ts';

/** An S3 notification ready for delivery: where it goes and the S3 event (`{ Records: [record] }`). */
export interface S3Notification {
  readonly target: NotificationTarget;
  readonly event: { Records: [Record<string, unknown>] };
}

/** The running S3 emulator. */
export interface LocalS3 extends ServedEmulator {
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
  /** Buckets to create, then their versioning, CORS rules and notifications, as the stack declares them. */
  buckets?: readonly string[];
  versioning?: readonly { bucket: string; enabled: boolean }[];
  corsRules?: readonly { bucket: string; rules: readonly CorsRule[] }[];
  bucketNotifications?: readonly {
    bucket: string;
    configs: readonly NotificationConfig[];
    eventBridge: boolean;
  }[];
}): Promise<LocalS3> {
  const backend = await startBackend(options.dataDir, options.region);
  const notifications = new EventEmitter();
  const cors = new Map<string, readonly CorsRule[]>();
  const bytesServed = new Map<string, number>();
  const postedKeys = new Set<string>();
  const announcer = createAnnouncer({
    backend: backend.client,
    notifications,
    region: options.region,
    requester: options.account ?? 'local',
  });
  const versions = new VersionStore(backend.client, announcer.announce);
  announceBackendEvents(backend.server, { versions, postedKeys, announce: announcer.announce });

  const tmpDir = join(options.dataDir, 'post');
  await mkdir(tmpDir, { recursive: true });
  let endpoint = '';
  const gateway: Gateway = {
    backendPort: backend.port,
    backend: backend.client,
    versions,
    bytesServed,
    cors,
    postedKeys,
    owner: options.account ?? 'local',
    tmpDir,
    endpoint: () => endpoint,
  };

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
    if (bucket === undefined && method === 'GET') return listBuckets(gateway, req, res, url);
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
    if (bucket && isBrowserPost) return handlePost(gateway, req, res, bucket);
    if (bucket && key === undefined) {
      const sub = subresources(url);
      if (method === 'GET' && sub.every((name) => LIST_PARAMETERS.has(name))) {
        return listObjects(gateway, res, url, bucket);
      }
      if (method === 'POST' && sub.length === 1 && sub[0] === 'delete') {
        return deleteObjects(gateway, req, res, bucket);
      }
    }
    if (bucket && versions.isVersioned(bucket)) {
      const handled = await routeVersioned(gateway, req, res, url, bucket, key);
      if (handled) return;
    }
    await proxy(gateway, req, res, url, { bucket, key });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new S3Client({
    endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });

  const s3: LocalS3 = {
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
      await backend.client.send(new CreateBucketCommand({ Bucket: name }));
    },
    setNotifications(bucket, list) {
      announcer.configs.set(bucket, list);
    },
    setEventBridge(bucket, enabled) {
      if (enabled) announcer.toEventBridge.add(bucket);
      else announcer.toEventBridge.delete(bucket);
    },
    whenAnnounced: () => announcer.whenAnnounced(),
    whenIdle: () => announcer.whenAnnounced(),
    setVersioning(bucket, enabled) {
      versions.enable(bucket, enabled);
    },
    async setCors(bucket, rules) {
      cors.set(bucket, rules);
      await backend.client.send(
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
      await announcer.settle();
      client.destroy();
      backend.client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      backend.server.httpServer?.closeAllConnections();
      await backend.server.close();
    },
  };
  try {
    for (const bucket of options.buckets ?? []) await s3.createBucket(bucket);
    for (const { bucket, enabled } of options.versioning ?? []) s3.setVersioning(bucket, enabled);
    for (const { bucket, rules } of options.corsRules ?? []) await s3.setCors(bucket, rules);
    for (const { bucket, configs, eventBridge } of options.bucketNotifications ?? []) {
      s3.setNotifications(bucket, configs);
      s3.setEventBridge(bucket, eventBridge);
    }
  } catch (error) {
    await s3.stop();
    throw error;
  }
  return s3;
}
