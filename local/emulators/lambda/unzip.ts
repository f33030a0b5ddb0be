import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { readZip, ZipFormatError } from '#tools/zip.ts';

/** A deployment package that is not a zip this reader understands (stored or deflated entries). */
export class BadArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadArchiveError';
  }
}

/**
 * Extracts a zip (a Lambda deployment package) into `target`, keeping Unix modes, as Lambda
 * unpacks a package into `/var/task`.
 */
export async function extractZip(zip: Buffer, target: string): Promise<string[]> {
  const written: string[] = [];
  for (const entry of asBadArchive(() => readZip(zip))) {
    const path = normalize(join(target, entry.name));
    if (!path.startsWith(normalize(target) + sep))
      throw new BadArchiveError(`Entry ${entry.name} escapes the target.`);
    if (entry.name.endsWith('/')) {
      await mkdir(path, { recursive: true });
      continue;
    }
    const data = asBadArchive(() => entry.data());
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { mode: entry.mode & 0o777 || 0o644 });
    written.push(path);
  }
  return written;
}

function asBadArchive<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ZipFormatError) throw new BadArchiveError(error.message, { cause: error });
    throw error;
  }
}
