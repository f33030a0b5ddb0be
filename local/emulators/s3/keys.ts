import type { S3ErrorReply } from './http.ts';

/** S3's limit on an object key: 1,024 bytes of UTF-8. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html */
export const MAX_KEY_BYTES = 1024;

/**
 * First segment of the storage name of every key s3rver cannot hold as a path. s3rver keeps a key as
 * directories and a file named `<last segment>._S3rver_<suffix>`: a segment over ~232 bytes overflows
 * the file system's 255-byte name limit, `.` and `..` walk out of the bucket, and an empty segment
 * collapses into its neighbour. Such keys are stored under this segment, base64url-encoded.
 */
const ENCODED_ROOT = '~keys';
/** Longest segment stored as is, and the length of each chunk of an encoded name. */
const SEGMENT_BYTES = 200;

/** The bucket and key a request names, taken from its path byte for byte (no dot-segment removal). */
export interface RequestTarget {
  readonly bucket?: string;
  /** Undefined for a request to the service or a bucket. */
  readonly key?: string;
  /** The query string without `?`, as sent. */
  readonly query: string;
}

/** A request path that is not valid percent-encoded UTF-8. */
export class InvalidUriError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidUriError';
  }
}

/**
 * Splits a path-style request target (`/bucket/key?query`) as S3 does: the first segment is the
 * bucket, everything after the next `/` is the key, percent-decoded, with `.`, `..` and empty
 * segments kept. `new URL()` would resolve `a/../b` to `b`; S3 stores the key as given.
 */
export function parseRequestTarget(rawUrl: string): RequestTarget {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
  const withoutSlash = path.startsWith('/') ? path.slice(1) : path;
  const slash = withoutSlash.indexOf('/');
  const rawBucket = slash === -1 ? withoutSlash : withoutSlash.slice(0, slash);
  const rawKey = slash === -1 ? '' : withoutSlash.slice(slash + 1);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      throw new InvalidUriError("Couldn't parse the specified URI.", { cause: error });
    }
  };
  return {
    ...(rawBucket !== '' && { bucket: decode(rawBucket) }),
    ...(rawKey !== '' && { key: decode(rawKey) }),
    query,
  };
}

/** S3's answer to a key over {@link MAX_KEY_BYTES}, or undefined for a legal key. */
export function keyTooLong(key: string): S3ErrorReply | undefined {
  const size = Buffer.byteLength(key, 'utf8');
  if (size <= MAX_KEY_BYTES) return undefined;
  return {
    status: 400,
    code: 'KeyTooLongError',
    message: 'Your key is too long',
    extra: { Size: size, MaxSizeAllowed: MAX_KEY_BYTES },
  };
}

/** True when a bucket name follows S3's naming rules, so it is safe as a directory name too. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..');
}

function storableAsIs(key: string): boolean {
  const segments = key.split('/');
  if (segments[0] === ENCODED_ROOT) return false;
  return segments.every(
    (segment) =>
      segment !== '' &&
      segment !== '.' &&
      segment !== '..' &&
      !segment.includes('._S3rver_') &&
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
      !/[\u0000-\u001f\u007f]/.test(segment) &&
      Buffer.byteLength(segment, 'utf8') <= SEGMENT_BYTES,
  );
}

/**
 * The name under which s3rver stores `key`: the key itself when s3rver can hold it as a path,
 * else a reversible encoding under {@link ENCODED_ROOT}. Distinct keys always get distinct names.
 */
export function storageKey(key: string): string {
  if (storableAsIs(key)) return key;
  const encoded = Buffer.from(key, 'utf8').toString('base64url');
  const chunks: string[] = [];
  for (let at = 0; at < encoded.length; at += SEGMENT_BYTES)
    chunks.push(encoded.slice(at, at + SEGMENT_BYTES));
  return [ENCODED_ROOT, ...chunks].join('/');
}

/** The key a storage name stands for: the inverse of {@link storageKey}. */
export function keyFromStorage(name: string): string {
  if (!name.startsWith(`${ENCODED_ROOT}/`)) return name;
  return Buffer.from(name.slice(ENCODED_ROOT.length + 1).replace(/\//g, ''), 'base64url').toString('utf8');
}

/** A path-style request path to s3rver for a bucket and (optionally) a key's storage name. */
export function backendPath(bucket: string | undefined, key?: string): string {
  if (bucket === undefined) return '/';
  const base = `/${encodeURIComponent(bucket)}`;
  if (key === undefined) return base;
  return `${base}/${storageKey(key).split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * `x-amz-copy-source` for s3rver, which reads it with `decodeURI`, naming the source's storage name.
 * `header` is the client's (URL-encoded, as S3 expects); a `?versionId=` is returned apart.
 */
export function backendCopySource(header: string): {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly value: string;
} {
  const queryAt = header.indexOf('?');
  const path = (queryAt === -1 ? header : header.slice(0, queryAt)).replace(/^\//, '');
  const versionId =
    queryAt === -1
      ? undefined
      : (new URLSearchParams(header.slice(queryAt + 1)).get('versionId') ?? undefined);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch (error) {
    throw new InvalidUriError('The x-amz-copy-source header is not valid percent-encoded UTF-8.', {
      cause: error,
    });
  }
  const slash = decoded.indexOf('/');
  const bucket = slash === -1 ? decoded : decoded.slice(0, slash);
  const key = slash === -1 ? '' : decoded.slice(slash + 1);
  return {
    bucket,
    key,
    ...(versionId !== undefined && { versionId }),
    value: encodeURI(`${bucket}/${storageKey(key)}`),
  };
}

/**
 * Puts real keys back into an XML answer of s3rver that names storage names (`<Key>`, `<Location>`,
 * markers), so no client ever sees one.
 */
export function restoreKeysInXml(xml: string): string {
  if (!xml.includes(`${ENCODED_ROOT}/`)) return xml;
  const encodedName = new RegExp(`${ENCODED_ROOT.replace('~', '\\~')}(?:/[A-Za-z0-9_-]+)+`, 'g');
  return xml
    .replace(
      /<Location>([^<]*)<\/Location>/g,
      (_match, location: string) =>
        `<Location>${location.replace(encodedName, (name) =>
          xmlEscape(keyFromStorage(name).split('/').map(encodeURIComponent).join('/')),
        )}</Location>`,
    )
    .replace(encodedName, (name) => xmlEscape(keyFromStorage(name)));
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Keys compare in UTF-8 byte order, as S3 lists them (not UTF-16 code-unit order). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
