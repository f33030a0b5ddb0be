import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';

/**
 * The bucket inside s3rver where noncurrent versions are kept, one object per version. The gateway
 * refuses every request that names it, so no client can see or change it.
 */
export const ARCHIVE_BUCKET = 'gateway-noncurrent-versions';

/** Where a noncurrent version lives in the archive: short whatever the key's length. */
export function archiveKey(bucket: string, versionId: string): string {
  return `${bucket}/${versionId}`;
}

/** Copies the latest version (bytes, metadata and tags) to the archive, and clears the key's tags. */
export async function archiveVersion(
  backend: S3Client,
  bucket: string,
  key: string,
  versionId: string,
): Promise<void> {
  const target = archiveKey(bucket, versionId);
  await backend.send(
    new CopyObjectCommand({
      Bucket: ARCHIVE_BUCKET,
      Key: target,
      CopySource: encodeURI(`${bucket}/${key}`),
    }),
  );
  const { TagSet = [] } = await backend.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  // s3rver keeps a key's tags across writes; S3 gives each version its own.
  if (TagSet.length > 0) {
    await tagObject(backend, ARCHIVE_BUCKET, target, TagSet);
    await tagObject(backend, bucket, key, []);
  }
}

/** Makes an archived version the key's object again (its tags too) and drops the archived copy. */
export async function unarchiveVersion(
  backend: S3Client,
  bucket: string,
  key: string,
  versionId: string,
  /** Runs the copy back, so the caller can tell s3rver's event for it from a client's write. */
  copying: (copy: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const source = archiveKey(bucket, versionId);
  await copying(async () => {
    await backend.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: key,
        CopySource: encodeURI(`${ARCHIVE_BUCKET}/${source}`),
      }),
    );
  });
  const { TagSet = [] } = await backend.send(
    new GetObjectTaggingCommand({ Bucket: ARCHIVE_BUCKET, Key: source }),
  );
  await tagObject(backend, bucket, key, TagSet);
  await backend.send(new DeleteObjectCommand({ Bucket: ARCHIVE_BUCKET, Key: source }));
}

/** Replaces the tags of an object in s3rver. */
export async function tagObject(
  backend: S3Client,
  bucket: string,
  key: string,
  tags: readonly Tag[],
): Promise<void> {
  await backend.send(
    new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [...tags] } }),
  );
}

/** `x-amz-tagging` (`k1=v1&k2=v2`, URL-encoded) as a tag set. */
export function tagsFromQuery(query: string): Tag[] {
  return [...new URLSearchParams(query)].map(([Key, Value]) => ({ Key, Value }));
}
