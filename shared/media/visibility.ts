import { GetObjectTaggingCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { PUBLIC_TAG } from '#shared/video';

/**
 * Tags one object `visibility=public`, keeping its other tags; resolves to false when it already was.
 * PutObjectTagging replaces the whole tag set, hence the read first.
 */
export async function tagPublic(s3: Pick<S3Client, 'send'>, bucket: string, key: string): Promise<boolean> {
  const current = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  const tags = current.TagSet ?? [];
  if (tags.some((tag) => tag.Key === PUBLIC_TAG.key && tag.Value === PUBLIC_TAG.value)) return false;
  const TagSet = [
    ...tags.filter((tag) => tag.Key !== PUBLIC_TAG.key),
    { Key: PUBLIC_TAG.key, Value: PUBLIC_TAG.value },
  ];
  await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet } }));
  return true;
}
