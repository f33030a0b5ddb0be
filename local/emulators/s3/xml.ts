import type { DeleteOutcome, VersionListing } from './versions.ts';

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for an XML element. */
export function xmlText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

function xmlUnescape(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, entity: string) => {
    if (entity[0] === '#') {
      const hex = entity[1] === 'x' || entity[1] === 'X';
      return String.fromCodePoint(Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity.toLowerCase()] ?? '';
  });
}

/** The objects of a DeleteObjects request body (`<Delete><Object><Key/><VersionId/></Object>…`), or undefined when malformed. */
export function parseDeleteRequest(
  xml: string,
): { objects: { key: string; versionId?: string }[]; quiet: boolean } | undefined {
  if (!/<Delete[\s>]/.test(xml)) return undefined;
  const objects: { key: string; versionId?: string }[] = [];
  for (const [, body = ''] of xml.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
    const key = /<Key>([\s\S]*?)<\/Key>/.exec(body)?.[1];
    if (key === undefined) return undefined;
    const versionId = /<VersionId>([\s\S]*?)<\/VersionId>/.exec(body)?.[1];
    objects.push({
      key: xmlUnescape(key),
      ...(versionId !== undefined && { versionId: xmlUnescape(versionId) }),
    });
  }
  return { objects, quiet: /<Quiet>\s*true\s*<\/Quiet>/i.test(xml) };
}

/** The body of a ListObjectVersions answer. */
export function listVersionsXml(
  bucket: string,
  query: { prefix: string; keyMarker: string; versionIdMarker: string; maxKeys: number; encodeUrl: boolean },
  listing: VersionListing,
  owner: string,
): string {
  const key = (value: string) => xmlText(query.encodeUrl ? encodeURIComponent(value) : value);
  const entries = listing.entries.map((entry) => {
    const common =
      `<Key>${key(entry.key)}</Key><VersionId>${xmlText(entry.versionId)}</VersionId>` +
      `<IsLatest>${entry.isLatest}</IsLatest><LastModified>${entry.lastModified.toISOString()}</LastModified>` +
      `<Owner><ID>${owner}</ID><DisplayName>${owner}</DisplayName></Owner>`;
    return entry.deleteMarker
      ? `<DeleteMarker>${common}</DeleteMarker>`
      : `<Version>${common}<ETag>${xmlText(entry.etag ?? '')}</ETag><Size>${entry.size ?? 0}</Size><StorageClass>STANDARD</StorageClass></Version>`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xmlText(bucket)}</Name><Prefix>${key(query.prefix)}</Prefix>` +
    `<KeyMarker>${key(query.keyMarker)}</KeyMarker><VersionIdMarker>${xmlText(query.versionIdMarker)}</VersionIdMarker>` +
    (listing.nextKeyMarker !== undefined
      ? `<NextKeyMarker>${key(listing.nextKeyMarker)}</NextKeyMarker>`
      : '') +
    (listing.nextVersionIdMarker !== undefined
      ? `<NextVersionIdMarker>${xmlText(listing.nextVersionIdMarker)}</NextVersionIdMarker>`
      : '') +
    `<MaxKeys>${query.maxKeys}</MaxKeys>` +
    (query.encodeUrl ? '<EncodingType>url</EncodingType>' : '') +
    `<IsTruncated>${listing.isTruncated}</IsTruncated>${entries.join('')}</ListVersionsResult>`
  );
}

/** The body of a DeleteObjects answer. */
export function deleteResultXml(
  deleted: readonly DeleteOutcome[],
  errors: readonly { key: string; versionId?: string; code: string; message: string }[],
  quiet: boolean,
): string {
  const ok = quiet
    ? []
    : deleted.map(
        (d) =>
          `<Deleted><Key>${xmlText(d.key)}</Key>` +
          (d.versionId !== undefined ? `<VersionId>${xmlText(d.versionId)}</VersionId>` : '') +
          (d.deleteMarker ? '<DeleteMarker>true</DeleteMarker>' : '') +
          (d.deleteMarkerVersionId !== undefined
            ? `<DeleteMarkerVersionId>${xmlText(d.deleteMarkerVersionId)}</DeleteMarkerVersionId>`
            : '') +
          '</Deleted>',
      );
  const failed = errors.map(
    (e) =>
      `<Error><Key>${xmlText(e.key)}</Key>` +
      (e.versionId !== undefined ? `<VersionId>${xmlText(e.versionId)}</VersionId>` : '') +
      `<Code>${xmlText(e.code)}</Code><Message>${xmlText(e.message)}</Message></Error>`,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${ok.join('')}${failed.join('')}</DeleteResult>`
  );
}
