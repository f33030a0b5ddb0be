/**
 * The zip format, both ways: a deterministic writer for Lambda packages and a reader of the central
 * directory (stored and deflate entries, no zip64), so nothing here needs an `unzip` binary.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
import { readFileSync, statSync } from 'node:fs';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATE = 8;

// 1980-01-01 00:00, the earliest DOS date: every entry gets it, so the zip depends on content alone.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** One file of a zip: its name inside the archive and where to read it. */
export interface ZipEntry {
  readonly name: string;
  readonly path: string;
  /** Unix permission bits; default: 0755 when the source is executable, else 0644. */
  readonly mode?: number;
}

/** Zips the given files, in the given order, deterministically: fixed timestamps, Unix modes kept. */
export function zipEntries(entries: readonly ZipEntry[], level = 9): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = readFileSync(entry.path);
    const perm = entry.mode ?? (statSync(entry.path).mode & 0o111 ? 0o755 : 0o644);
    const mode = 0o100000 | perm;
    const compressed = deflateRawSync(data, { level });
    const crc = crc32(data) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes carry the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Bytes that are not a zip {@link readZip} can read: no directory, a corrupt one, zip64, or an unknown method. */
export class ZipFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZipFormatError';
  }
}

/** One entry of a zip's central directory. */
export interface ZipEntryInfo {
  readonly name: string;
  /** Unix mode from the external attributes (file type and permission bits); 0 when not made on Unix. */
  readonly mode: number;
  /** CRC-32 of the uncompressed data, as recorded. */
  readonly crc: number;
  /** Compression method: 0 stored, 8 deflate; {@link ZipEntryInfo.data} reads only those two. */
  readonly method: number;
  /** The uncompressed bytes; throws {@link ZipFormatError} for any other method. */
  data(): Buffer;
}

/** Lists a zip's entries from its central directory, in directory order; data is read only on demand. */
export function readZip(zip: Buffer): ZipEntryInfo[] {
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd < 0) throw new ZipFormatError('No end-of-central-directory record: not a zip file.');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff)
    throw new ZipFormatError('Zip64 archives are not supported.');
  const entries: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_HEADER)
      throw new ZipFormatError(`Corrupt central directory at ${offset}.`);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const mode = zip.readUInt32LE(offset + 38) >>> 16;
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    const data = () => {
      if (method !== STORED && method !== DEFLATE)
        throw new ZipFormatError(
          `Entry ${name} uses compression method ${method}; only stored and deflate are supported.`,
        );
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + compressedSize);
      return method === DEFLATE ? inflateRawSync(raw) : raw;
    };
    entries.push({ name, mode, crc, method, data });
  }
  return entries;
}

/** The record sits at the end, after a comment of at most 65,535 bytes. */
function findEndOfCentralDirectory(zip: Buffer): number {
  const min = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= min; i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  return -1;
}
