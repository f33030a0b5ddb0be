import type { S3Client } from '@aws-sdk/client-s3';
import type { VersionStore } from './versions.ts';

/** A CORS rule of a bucket, as `aws_s3_bucket_cors_configuration` declares it. */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
}

/** What the gateway's request handlers share. */
export interface Gateway {
  /** s3rver's port on 127.0.0.1. */
  readonly backendPort: number;
  /** A client straight to s3rver (storage names, bodies as they are). */
  readonly backend: S3Client;
  readonly versions: VersionStore;
  /** Bytes of object data served by GET per `bucket/key`. */
  readonly bytesServed: Map<string, number>;
  readonly cors: ReadonlyMap<string, readonly CorsRule[]>;
  /** Keys written by a browser POST: s3rver stores them with a PUT, S3 names the event Post. */
  readonly postedKeys: Set<string>;
  /** The account listings name as owner. */
  readonly owner: string;
  /** Where browser POST uploads are spooled. */
  readonly tmpDir: string;
  /** The gateway's own endpoint, once it listens. */
  endpoint(): string;
}
