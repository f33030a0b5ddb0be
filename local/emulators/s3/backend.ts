import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import { ARCHIVE_BUCKET } from './archive.ts';
import { storageKey } from './keys.ts';

const require = createRequire(import.meta.url);

/** A running s3rver: it emits `event` (S3 event records) for every write and delete. */
export interface S3rverInstance extends EventEmitter {
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

/** s3rver on 127.0.0.1, storing under `dataDir`, and a client straight to it. */
export interface Backend {
  readonly server: S3rverInstance;
  readonly port: number;
  /** Names keys by their storage names and sends bodies as they are. */
  readonly client: S3Client;
}

/** Starts s3rver with the gateway's archive bucket for noncurrent versions. */
export async function startBackend(dataDir: string, region: string): Promise<Backend> {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
  await mkdir(dataDir, { recursive: true });
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    // The gateway rewrites aws-chunked uploads into plain bodies, which changes what was signed.
    allowMismatchedSignatures: true,
    directory: join(dataDir, 'objects'),
  });
  const backendAddress = await backend.run();
  const backendEndpoint = `http://127.0.0.1:${backendAddress.port}`;
  const backendClient = new S3Client({
    endpoint: backendEndpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // This client talks to s3rver directly, which stores aws-chunked stream bodies verbatim (framing included).
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  storeUnderStorageNames(backendClient);

  await backendClient.send(new CreateBucketCommand({ Bucket: ARCHIVE_BUCKET }));

  return { server: backend, port: backendAddress.port, client: backendClient };
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
