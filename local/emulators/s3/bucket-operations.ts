import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { isAwsError } from '#shared/aws-errors';
import { ARCHIVE_BUCKET } from './archive.ts';
import type { Gateway } from './gateway.ts';
import { readRequestBody, requestId, sendError } from './http.ts';
import { keyFromStorage, keyTooLong } from './keys.ts';
import { type ListedObject, listObjectsXml, listPage, parseListQuery } from './listing.ts';
import { backendFetch } from './proxy.ts';
import type { DeleteOutcome } from './versions.ts';
import { deleteResultXml, parseDeleteRequest } from './xml.ts';

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
export const listObjects = async (
  gateway: Gateway,
  res: ServerResponse,
  url: URL,
  bucket: string,
): Promise<void> => {
  const query = parseListQuery(url.searchParams);
  if ('code' in query) return sendError(res, query);
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await gateway.backend
      .send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))
      .catch((error: unknown) => {
        if (isAwsError(error, 'NoSuchBucket')) return undefined;
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
  res.end(listObjectsXml(bucket, query, listPage(objects, query), gateway.owner));
};

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
export const deleteObjects = async (
  gateway: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
): Promise<void> => {
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
      if (gateway.versions.isVersioned(bucket)) {
        deleted.push(await gateway.versions.delete(bucket, object.key, object.versionId));
      } else {
        await gateway.backend.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.key }));
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
export const listBuckets = async (
  gateway: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> => {
  const upstream = await backendFetch(gateway.backendPort, req, url);
  const text = upstream.body
    .toString('utf8')
    .replace(new RegExp(`<Bucket>\\s*<Name>${ARCHIVE_BUCKET}</Name>[\\s\\S]*?</Bucket>`), '');
  const { 'content-length': _length, ...headers } = upstream.headers;
  res.writeHead(upstream.status, headers);
  res.end(text);
};
