import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type ZipEntry, zipEntries } from '#tools/zip.ts';

/** A zip written once into the asset cache, with the hash Lambda compares against `source_code_hash`. */
export interface StagedArchive {
  /** Absolute path of the zip in the cache. */
  readonly path: string;
  /** Base64 SHA-256 of the zip: Lambda's `CodeSha256`, so Terraform sees a change only when the content changes. */
  readonly sha256Base64: string;
  /** Hex SHA-256 of the zip, used as the asset's folder name. */
  readonly sha256Hex: string;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/**
 * Zips a directory deterministically: entries sorted, fixed timestamps, Unix modes kept (the layer's
 * ffprobe must stay executable). The same files always give the same bytes, unlike cdktf's archiver,
 * which also spawns one `node` process per asset.
 */
export function zipDirectory(dir: string, level = 9): Buffer {
  return zipEntries(
    filesUnder(dir).map((file) => ({ name: relative(dir, file).split(sep).join('/'), path: file })),
    level,
  );
}

// Through a temporary file, so a concurrent synth never copies a half-written zip.
function writeAtomically(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Writes `zip` into `cacheDir` under its content hash (once) and returns where it is. */
export function cacheArchive(zip: Buffer, cacheDir: string, name: string): StagedArchive {
  const digest = createHash('sha256').update(zip).digest();
  const sha256Hex = digest.toString('hex');
  const path = join(cacheDir, `${name}-${sha256Hex.slice(0, 16)}.zip`);
  if (!existsSync(path)) writeAtomically(path, zip);
  return { path, sha256Hex, sha256Base64: digest.toString('base64') };
}

/**
 * Zips `entries` only when `key` is new: for large, versioned inputs (the 79 MB ffprobe binary) whose
 * content is pinned by a package version, so synthesis does not re-compress them every time.
 */
export function cachedArchiveByKey(
  entries: () => readonly ZipEntry[],
  cacheDir: string,
  key: string,
  level = 6,
): StagedArchive {
  const path = join(cacheDir, `${key}.zip`);
  const shaFile = `${path}.sha256`;
  if (existsSync(path) && existsSync(shaFile)) {
    const now = new Date();
    utimesSync(path, now, now);
    utimesSync(shaFile, now, now);
    const sha256Hex = readFileSync(shaFile, 'utf8').trim();
    return { path, sha256Hex, sha256Base64: Buffer.from(sha256Hex, 'hex').toString('base64') };
  }
  const zip = zipEntries(entries(), level);
  const sha256Hex = createHash('sha256').update(zip).digest('hex');
  writeAtomically(path, zip);
  writeFileSync(shaFile, `${sha256Hex}\n`);
  return { path, sha256Hex, sha256Base64: Buffer.from(sha256Hex, 'hex').toString('base64') };
}

/** A hash of the files under `dir`: their relative names, executable bits and contents. */
export function contentHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir)) {
    hash.update(relative(dir, file).split(sep).join('/'));
    hash.update(statSync(file).mode & 0o111 ? '\u0001' : '\u0000');
    hash.update(readFileSync(file));
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/**
 * The zip of `dir`, from the cache when its content was zipped before (zipping the eight bundles at
 * level 9 costs seconds; hashing them, milliseconds). Older zips of the same `name`, unused for ten
 * minutes, are removed, so the cache holds about one per function.
 */
export function stageDirectory(dir: string, cacheDir: string, name: string): StagedArchive {
  // One app synthesizes three stacks from the same bundles: hash each bundle once per process, unless
  // its files changed in between (a test, a watch loop).
  const signature = filesUnder(dir)
    .map((file) => {
      const stat = statSync(file);
      return `${file}:${stat.size}:${stat.mtimeMs}`;
    })
    .join('|');
  const memoKey = `${cacheDir}\u0000${name}\u0000${signature}`;
  const memo = staged.get(memoKey);
  if (memo && existsSync(memo.path)) return memo;
  const result = stageDirectoryUncached(dir, cacheDir, name);
  staged.set(memoKey, result);
  return result;
}

const staged = new Map<string, StagedArchive>();

function stageDirectoryUncached(dir: string, cacheDir: string, name: string): StagedArchive {
  const key = contentHash(dir).slice(0, 16);
  const archive = cachedArchiveByKey(
    () => filesUnder(dir).map((file) => ({ name: relative(dir, file).split(sep).join('/'), path: file })),
    cacheDir,
    `${name}-${key}`,
    9,
  );
  const current = `${name}-${key}.zip`;
  const pattern = new RegExp(`^${name.replace(/[^A-Za-z0-9]/g, '\\$&')}-[0-9a-f]{16}\\.zip$`);
  // Only zips nobody used for a while: a concurrent synth of other bundles may be about to copy one.
  const staleBefore = Date.now() - 10 * 60 * 1000;
  for (const entry of readdirSync(cacheDir)) {
    if (!pattern.test(entry) || entry.startsWith(current)) continue;
    const path = join(cacheDir, entry);
    const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime !== undefined && mtime < staleBefore) {
      rmSync(path, { force: true });
      rmSync(`${path}.sha256`, { force: true });
    }
  }
  return archive;
}
