import {
  DeleteObjectsCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

interface StoredVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  tags: Tag[];
}

/** A versioned S3 in memory behind aws-sdk-client-mock: objects, versions, tags, paged version listings. */
export interface FakeS3 {
  readonly client: S3Client;
  readonly mock: AwsClientStub<S3Client>;
  /** Writes a new version of an object, with no tags (what a transcoder or an upload does). */
  put(bucket: string, key: string): void;
  /** True when the key has a current version that is not a delete marker. */
  exists(bucket: string, key: string): boolean;
  /** Tags of the current version. */
  tagsOf(bucket: string, key: string): Tag[];
  /** Every version and delete marker under a prefix, as `key@versionId`. */
  versionsUnder(bucket: string, prefix: string): string[];
  restore(): void;
}

function noSuchKey(key: string): Error {
  return Object.assign(new Error(`The specified key does not exist: ${key}`), {
    name: 'NoSuchKey',
    $fault: 'client',
    $metadata: { httpStatusCode: 404 },
  });
}

/**
 * Starts a {@link FakeS3}. ListObjectVersions answers at most `pageSize` entries per page, so every
 * caller has to follow NextKeyMarker/NextVersionIdMarker.
 */
export function fakeS3(options: { pageSize?: number } = {}): FakeS3 {
  const pageSize = options.pageSize ?? 1000;
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  const mock = mockClient(client);
  const store = new Map<string, StoredVersion[]>();
  let counter = 0;
  const id = (bucket: string, key: string) => `${bucket}\n${key}`;
  const current = (bucket: string, key: string) => {
    const latest = store.get(id(bucket, key))?.[0];
    return latest && !latest.deleteMarker ? latest : undefined;
  };
  const put = (bucket: string, key: string) => {
    const versions = store.get(id(bucket, key)) ?? [];
    versions.unshift({ versionId: `v${++counter}`, deleteMarker: false, tags: [] });
    store.set(id(bucket, key), versions);
  };

  mock.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    put(input.Bucket, input.Key);
    return {};
  });
  mock.on(GetObjectTaggingCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const version = current(input.Bucket, input.Key);
    if (!version) throw noSuchKey(input.Key);
    return { TagSet: structuredClone(version.tags) };
  });
  mock
    .on(PutObjectTaggingCommand)
    .callsFake((input: { Bucket: string; Key: string; Tagging: { TagSet: Tag[] } }) => {
      const version = current(input.Bucket, input.Key);
      if (!version) throw noSuchKey(input.Key);
      version.tags = structuredClone(input.Tagging.TagSet);
      return {};
    });
  mock
    .on(ListObjectVersionsCommand)
    .callsFake((input: { Bucket: string; Prefix?: string; KeyMarker?: string; VersionIdMarker?: string }) => {
      const entries = [...store.entries()]
        .map(([name, versions]) => ({
          bucket: name.split('\n')[0],
          key: name.split('\n')[1] ?? '',
          versions,
        }))
        .filter((e) => e.bucket === input.Bucket && e.key.startsWith(input.Prefix ?? ''))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .flatMap((e) => e.versions.map((v) => ({ key: e.key, ...v })));
      let start = 0;
      if (input.KeyMarker !== undefined) {
        start =
          entries.findIndex((e) => e.key === input.KeyMarker && e.versionId === input.VersionIdMarker) + 1;
      }
      const page = entries.slice(start, start + pageSize);
      const truncated = start + pageSize < entries.length;
      const last = page.at(-1);
      return {
        IsTruncated: truncated,
        Versions: page.filter((e) => !e.deleteMarker).map((e) => ({ Key: e.key, VersionId: e.versionId })),
        DeleteMarkers: page
          .filter((e) => e.deleteMarker)
          .map((e) => ({ Key: e.key, VersionId: e.versionId })),
        ...(truncated && last && { NextKeyMarker: last.key, NextVersionIdMarker: last.versionId }),
      };
    });
  mock
    .on(DeleteObjectsCommand)
    .callsFake((input: { Bucket: string; Delete: { Objects: { Key: string; VersionId?: string }[] } }) => {
      for (const object of input.Delete.Objects) {
        const versions = store.get(id(input.Bucket, object.Key)) ?? [];
        const remaining = versions.filter((v) => v.versionId !== object.VersionId);
        if (remaining.length > 0) store.set(id(input.Bucket, object.Key), remaining);
        else store.delete(id(input.Bucket, object.Key));
      }
      return { Deleted: input.Delete.Objects };
    });

  return {
    client,
    mock,
    put,
    exists: (bucket, key) => current(bucket, key) !== undefined,
    tagsOf: (bucket, key) => structuredClone(current(bucket, key)?.tags ?? []),
    versionsUnder: (bucket, prefix) =>
      [...store.entries()]
        .filter(([name]) => name.startsWith(`${bucket}\n${prefix}`))
        .flatMap(([name, versions]) => versions.map((v) => `${name.split('\n')[1]}@${v.versionId}`)),
    restore: () => mock.restore(),
  };
}
