import type { LocalUsage } from './meter.ts';
import { UsageMeter } from './meter.ts';
import { METER_APP_ID } from './requester.ts';
import { s3ClientFor, storedBytes } from './s3.ts';

/** The local cloud's usage: the meter every emulator reports to, and what the stack's buckets store. */
export interface RunningUsage extends LocalUsage {
  /** An S3 client whose requests count as the given requester's (the SDK's app id in its user agent). */
  s3ClientFor(appId: string): ReturnType<typeof s3ClientFor>;
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

/** The stack's buckets and which of them keep versions (what the S3 emulator's `fromStack` reads). */
export interface StackBuckets {
  readonly buckets: readonly string[];
  readonly versioning: readonly { readonly bucket: string; readonly enabled: boolean }[];
}

/**
 * Starts counting for a local cloud: `connect` is called once S3 is up, with its endpoint and the
 * stack's buckets (versioned ones count their noncurrent versions too).
 */
export function startUsage(options: {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}): RunningUsage & {
  connect(s3Endpoint: string, stack: StackBuckets): void;
} {
  const meter = new UsageMeter();
  const clients: ReturnType<typeof s3ClientFor>[] = [];
  let endpoint: string | undefined;
  let buckets: readonly { name: string; versioned: boolean }[] = [];
  let lister: ReturnType<typeof s3ClientFor> | undefined;
  const clientFor = (appId: string) => {
    if (!endpoint) throw new Error('The usage meter has no S3 endpoint yet.');
    const client = s3ClientFor(appId, {
      endpoint,
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: true,
    });
    clients.push(client);
    return client;
  };
  return {
    meter,
    snapshot: () => meter.snapshot(),
    storedBytes: () => {
      lister ??= clientFor(METER_APP_ID);
      return storedBytes(lister, buckets);
    },
    s3ClientFor: clientFor,
    connect: (s3Endpoint, stack) => {
      endpoint = s3Endpoint;
      const versioned = new Set(stack.versioning.filter((v) => v.enabled).map((v) => v.bucket));
      buckets = stack.buckets.map((name) => ({ name, versioned: versioned.has(name) }));
    },
    whenIdle: async () => {},
    stop: async () => {
      for (const client of clients.splice(0)) client.destroy();
    },
  };
}
