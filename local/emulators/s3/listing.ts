import type { S3ErrorReply } from './http.ts';
import { compareKeys } from './keys.ts';
import { xmlText } from './xml.ts';

/** One object of a bucket as ListObjects describes it, under its real key. */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
  readonly etag: string;
  readonly size: number;
}

/** A checked ListObjects (`version: 1`) or ListObjectsV2 (`version: 2`) request. */
export interface ListQuery {
  readonly version: 1 | 2;
  readonly prefix: string;
  readonly delimiter?: string;
  /** Listing starts after this key or common prefix (marker, start-after or continuation token). */
  readonly after?: string;
  readonly marker?: string;
  readonly startAfter?: string;
  readonly continuationToken?: string;
  readonly maxKeys: number;
  readonly encodeUrl: boolean;
  readonly fetchOwner: boolean;
}

/** One page of a listing. */
export interface ListPage {
  readonly contents: readonly ListedObject[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** The last key or common prefix of the page, where the next page starts after. */
  readonly last?: string;
}

/** The query parameters that make a bucket GET a ListObjects request (and nothing else). */
export const LIST_PARAMETERS: ReadonlySet<string> = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
]);

const invalid = (message: string, name: string, value: string): S3ErrorReply => ({
  status: 400,
  code: 'InvalidArgument',
  message,
  extra: { ArgumentName: name, ArgumentValue: value },
});

/** Reads a ListObjects or ListObjectsV2 query the way S3 checks it. */
export function parseListQuery(params: URLSearchParams): ListQuery | S3ErrorReply {
  const version = params.get('list-type') === '2' ? 2 : 1;
  const rawMax = params.get('max-keys');
  const maxKeys = rawMax === null ? 1000 : Number(rawMax);
  if (rawMax !== null && (!/^\d+$/.test(rawMax) || !Number.isSafeInteger(maxKeys))) {
    return invalid('Provided max-keys not an integer or within integer range', 'max-keys', rawMax);
  }
  const encoding = params.get('encoding-type');
  if (encoding !== null && encoding !== 'url') {
    return invalid('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  }
  const delimiter = params.get('delimiter') || undefined;
  const common = {
    prefix: params.get('prefix') ?? '',
    ...(delimiter !== undefined && { delimiter }),
    maxKeys: Math.min(maxKeys, 1000),
    encodeUrl: encoding === 'url',
  };
  if (version === 1) {
    const marker = params.get('marker') || undefined;
    return { version, ...common, ...(marker !== undefined && { marker, after: marker }), fetchOwner: true };
  }
  const startAfter = params.get('start-after') || undefined;
  const token = params.get('continuation-token');
  let resumeAfter: string | undefined;
  if (token !== null) {
    resumeAfter = Buffer.from(token, 'base64url').toString('utf8');
    if (token === '' || Buffer.from(resumeAfter, 'utf8').toString('base64url') !== token) {
      return invalid('The continuation token provided is incorrect', 'continuation-token', token);
    }
  }
  const after = resumeAfter ?? startAfter;
  return {
    version,
    ...common,
    ...(startAfter !== undefined && { startAfter }),
    ...(token !== null && { continuationToken: token }),
    ...(after !== undefined && { after }),
    fetchOwner: params.get('fetch-owner') === 'true',
  };
}

/**
 * One page of a bucket's objects: keys under the prefix after the marker, in UTF-8 order, keys that
 * share a prefix up to the delimiter rolled up into one common prefix (each counting once towards
 * `maxKeys`). A page that ended on a common prefix resumes past every key under it.
 */
export function listPage(objects: readonly ListedObject[], query: ListQuery): ListPage {
  const sorted = objects
    .filter((object) => object.key.startsWith(query.prefix))
    .sort((a, b) => compareKeys(a.key, b.key));
  const contents: ListedObject[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  for (const object of sorted) {
    const rest = object.key.slice(query.prefix.length);
    const at = query.delimiter === undefined ? -1 : rest.indexOf(query.delimiter);
    const rolled =
      at === -1 ? undefined : object.key.slice(0, query.prefix.length + at + (query.delimiter?.length ?? 0));
    if (query.after !== undefined && (compareKeys(object.key, query.after) <= 0 || rolled === query.after)) {
      continue;
    }
    if (rolled !== undefined && rolled === commonPrefixes.at(-1)) continue;
    if (contents.length + commonPrefixes.length === query.maxKeys) {
      isTruncated = true;
      break;
    }
    if (rolled !== undefined) {
      commonPrefixes.push(rolled);
      last = rolled;
    } else {
      contents.push(object);
      last = object.key;
    }
  }
  return { contents, commonPrefixes, isTruncated, ...(last !== undefined && { last }) };
}

/** The body of a ListObjects or ListObjectsV2 answer. */
export function listObjectsXml(bucket: string, query: ListQuery, page: ListPage, owner: string): string {
  const text = (value: string) =>
    xmlText(query.encodeUrl ? value.split('/').map(encodeURIComponent).join('/') : value);
  const ownerXml = `<Owner><ID>${owner}</ID><DisplayName>${owner}</DisplayName></Owner>`;
  const contents = page.contents.map(
    (object) =>
      `<Contents><Key>${text(object.key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified>` +
      `<ETag>${xmlText(object.etag)}</ETag><Size>${object.size}</Size>` +
      `${query.fetchOwner ? ownerXml : ''}<StorageClass>STANDARD</StorageClass></Contents>`,
  );
  const prefixes = page.commonPrefixes.map(
    (p) => `<CommonPrefixes><Prefix>${text(p)}</Prefix></CommonPrefixes>`,
  );
  const optional = (name: string, value: string | undefined, encode = true) =>
    value === undefined ? '' : `<${name}>${encode ? text(value) : xmlText(value)}</${name}>`;
  const next =
    page.isTruncated && page.last !== undefined
      ? query.version === 2
        ? optional('NextContinuationToken', Buffer.from(page.last, 'utf8').toString('base64url'), false)
        : query.delimiter !== undefined
          ? optional('NextMarker', page.last)
          : ''
      : '';
  const head =
    query.version === 2
      ? optional('ContinuationToken', query.continuationToken, false) +
        optional('StartAfter', query.startAfter) +
        `<KeyCount>${page.contents.length + page.commonPrefixes.length}</KeyCount>`
      : `<Marker>${text(query.marker ?? '')}</Marker>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xmlText(bucket)}</Name><Prefix>${text(query.prefix)}</Prefix>${head}` +
    `<MaxKeys>${query.maxKeys}</MaxKeys>${optional('Delimiter', query.delimiter)}` +
    (query.encodeUrl ? '<EncodingType>url</EncodingType>' : '') +
    `<IsTruncated>${page.isTruncated}</IsTruncated>${next}${contents.join('')}${prefixes.join('')}</ListBucketResult>`
  );
}
