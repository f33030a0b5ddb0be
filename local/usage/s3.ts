import type { IncomingHttpHeaders } from 'node:http';
import {
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { S3Usage, StoredBytes, UsageMeter } from './meter.ts';
import { METER_APP_ID, requesterOf } from './requester.ts';

/** Subresources of a bucket GET that list objects, parts or uploads (billed as LIST). */
const LIST_SUBRESOURCES = new Set([
  'versions',
  'uploads',
  'list-type',
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
]);

/**
 * The price class of an S3 request (https://aws.amazon.com/s3/pricing/, Requests & data retrievals):
 * PUT, COPY, POST and LIST are tier 1; GET, HEAD, OPTIONS and every other request tier 2; DELETE is free.
 * A multi-object delete is a POST and is counted as one (the pricing page names only DELETE as free).
 */
export function s3RequestTier(
  method: string,
  target: { bucket?: string; key?: string },
  query: URLSearchParams,
): keyof S3Usage {
  const verb = method.toUpperCase();
  if (verb === 'DELETE') return 'free';
  if (verb === 'PUT' || verb === 'POST') return 'tier1';
  if (verb !== 'GET') return 'tier2';
  if (target.bucket === undefined) return 'tier1';
  if (target.key === undefined) {
    const names = [...query.keys()];
    return names.length === 0 || names.some((name) => LIST_SUBRESOURCES.has(name)) ? 'tier1' : 'tier2';
  }
  return query.has('uploadId') ? 'tier1' : 'tier2';
}

/** Counts one request the S3 gateway received, unless it is the meter's own. */
export function meterS3Request(
  meter: UsageMeter | undefined,
  request: { method?: string; headers: IncomingHttpHeaders },
  target: { bucket?: string; key?: string },
  query: URLSearchParams,
): void {
  if (!meter) return;
  const requester = requesterOf(request.headers);
  if (requester === METER_APP_ID) return;
  meter.s3Request(requester, s3RequestTier(request.method ?? 'GET', target, query));
}

/** A client whose requests the S3 gateway attributes to `appId`. */
export function s3ClientFor(appId: string, config: S3ClientConfig): S3Client {
  return new S3Client({ ...config, userAgentAppId: appId });
}

/** Bytes stored in each bucket now: current objects and, in versioned buckets, noncurrent versions. */
export async function storedBytes(
  client: S3Client,
  buckets: readonly { name: string; versioned: boolean }[],
): Promise<Record<string, StoredBytes>> {
  const result: Record<string, StoredBytes> = {};
  for (const bucket of buckets) {
    let current = 0;
    let noncurrent = 0;
    let objects = 0;
    if (bucket.versioned) {
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await client.send(
          new ListObjectVersionsCommand({
            Bucket: bucket.name,
            ...(keyMarker && { KeyMarker: keyMarker }),
            ...(versionMarker && { VersionIdMarker: versionMarker }),
          }),
        );
        for (const version of page.Versions ?? []) {
          objects += 1;
          if (version.IsLatest) current += version.Size ?? 0;
          else noncurrent += version.Size ?? 0;
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
    } else {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket.name, ...(token && { ContinuationToken: token }) }),
        );
        for (const object of page.Contents ?? []) {
          objects += 1;
          current += object.Size ?? 0;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
    result[bucket.name] = { current, noncurrent, objects };
  }
  return result;
}
