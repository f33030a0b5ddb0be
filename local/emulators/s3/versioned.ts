import type { IncomingMessage, ServerResponse } from 'node:http';
import { ARCHIVE_BUCKET } from './archive.ts';
import type { Gateway } from './gateway.ts';
import { requestId, sendError, subresources } from './http.ts';
import { proxy } from './proxy.ts';
import { listVersionsXml } from './xml.ts';

/** Requests whose meaning versioning changes; false when the plain proxy serves it. */
export const routeVersioned = async (
  gateway: Gateway,
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
      listObjectVersions(gateway, res, url, bucket);
      return true;
    }
    return false;
  }
  const isWrite =
    (method === 'PUT' && sub.length === 0) ||
    (method === 'POST' && sub.length === 1 && sub[0] === 'uploadId');
  if (isWrite) {
    const tagging = req.headers['x-amz-tagging'];
    await gateway.versions.write(
      bucket,
      key,
      async (newVersionId, commit) => {
        const status = await proxy(gateway, req, res, url, {
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
    const outcome = await gateway.versions.delete(bucket, key, versionId);
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
  const location = await gateway.versions.locate(bucket, key, versionId);
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
      await proxy(gateway, req, res, url, {
        bucket,
        key,
        dropQuery: ['versionId'],
        beforeRespond: async (status): Promise<Record<string, string>> =>
          status < 300 && current ? { 'x-amz-version-id': current } : {},
      });
      return true;
    }
    case 'archived':
      await proxy(gateway, req, res, url, {
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

export const listObjectVersions = (gateway: Gateway, res: ServerResponse, url: URL, bucket: string): void => {
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
  const listing = gateway.versions.list(bucket, {
    prefix: query.prefix,
    ...(query.keyMarker !== '' && { keyMarker: query.keyMarker }),
    ...(query.versionIdMarker !== '' && { versionIdMarker: query.versionIdMarker }),
    maxKeys: query.maxKeys,
  });
  res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
  res.end(listVersionsXml(bucket, query, listing, gateway.owner));
};
