import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** A deployment package that is not a zip this reader understands (stored or deflated entries). */
export class BadArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadArchiveError';
  }
}

/**
 * Extracts a zip (a Lambda deployment package) into `target`, keeping Unix modes, as Lambda
 * unpacks a package into `/var/task`. Reads the central directory; no `unzip` binary needed.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export async function extractZip(zip: Buffer, target: string): Promise<string[]> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new BadArchiveError('No end-of-central-directory record: not a zip file.');
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const written: string[] = [];
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50)
      throw new BadArchiveError(`Corrupt central directory at ${offset}.`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const mode = zip.readUInt32LE(offset + 38) >>> 16;
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;

    const path = normalize(join(target, name));
    if (!path.startsWith(normalize(target) + sep))
      throw new BadArchiveError(`Entry ${name} escapes the target.`);
    if (name.endsWith('/')) {
      await mkdir(path, { recursive: true });
      continue;
    }
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else
      throw new BadArchiveError(
        `Entry ${name} uses compression method ${method}; only stored and deflate are supported.`,
      );
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { mode: mode & 0o777 || 0o644 });
    written.push(path);
  }
  return written;
}
