/**
 * Content fingerprints for synthesized assets, so that a rebuilt but unchanged Lambda bundle does not show
 * up as a change: the fingerprint ignores zip timestamps, compression and the hash-named folder cdktf uses.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readZip } from '#tools/zip.ts';

/** One asset found in a synthesized stack directory. */
export interface AssetFingerprint {
  /** Path relative to the stack directory, POSIX separators: `assets/<id>/<hash>/<file>`. */
  path: string;
  /** The hash-named folder segment cdktf put in the path. */
  folderHash: string;
  /** SHA-256 of the file bytes (hex and base64), as configurations quote it in `source_code_hash`. */
  sha256Hex?: string;
  sha256Base64?: string;
  /** Fingerprint of the content: 12 hex characters. */
  content: string;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data);

const TEXT_FILE = /\.(m?js|cjs|map|json|txt|html|css|ts)$/i;

/**
 * Removes what differs between two checkouts of the same code from a text asset: the checkout's own
 * absolute path, and the relative prefix bundlers write before `node_modules/` (source maps list sources
 * relative to the output folder, and a worktree reaches node_modules through a symlink, so that prefix
 * depends on where the checkout is).
 */
export function normaliseText(text: string, root?: string): string {
  const bare = root?.replace(/\/+$/, '');
  const withoutRoot = bare ? text.split(bare).join('<repo>') : text;
  return withoutRoot
    .replace(/(?:\.\.\/)+(?:[^"'\s()]*?\/)?node_modules\//g, 'node_modules/')
    .replace(CHUNK_HASH, '$1-<hash>');
}

// esbuild names split chunks `[name]-[hash]` (8 base32 characters), and that hash covers the source paths.
const CHUNK_HASH = /\b([\w.]+)-[A-Z2-7]{8}(?=\.(?:m?js|cjs|css)\b)/g;

/**
 * Describes the entries of a zip, one line each: name, content hash (text normalised with
 * {@link normaliseText}) and whether it is executable. Timestamps, compression and order do not count.
 * Returns undefined for anything it cannot read (not a zip, zip64, encrypted), so callers fall back to the bytes.
 */
export function zipEntrySignature(zip: Buffer, root?: string): string[] | undefined {
  try {
    return readZip(zip)
      .map(({ name, mode, crc, method, data }) => {
        const content =
          TEXT_FILE.test(name) && (method === 0 || method === 8)
            ? sha256(normaliseText(data().toString('utf8'), root)).digest('hex')
            : crc.toString(16);
        return `${name.replace(CHUNK_HASH, '$1-<hash>')}\t${content}\t${(mode & 0o111) !== 0 ? 'x' : '-'}`;
      })
      .sort();
  } catch {
    return undefined;
  }
}

function fileContent(path: string, root?: string): string {
  const bytes = readFileSync(path);
  if (path.endsWith('.zip')) {
    const entries = zipEntrySignature(bytes, root);
    if (entries) return sha256(entries.join('\n')).digest('hex');
  }
  if (TEXT_FILE.test(path)) return sha256(normaliseText(bytes.toString('utf8'), root)).digest('hex');
  return sha256(bytes).digest('hex');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      const stat = statSync(full);
      return stat.isDirectory() ? filesUnder(full) : stat.isFile() ? [full] : [];
    });
}

/** Fingerprints every asset under `<stackDir>/assets/<id>/<hash>/`; `root` is the checkout it was built in. */
export function fingerprintAssets(stackDir: string, root?: string): AssetFingerprint[] {
  const assetsDir = join(stackDir, 'assets');
  if (!existsSync(assetsDir)) return [];
  const found: AssetFingerprint[] = [];
  for (const id of readdirSync(assetsDir).sort()) {
    const idDir = join(assetsDir, id);
    if (!statSync(idDir).isDirectory()) continue;
    for (const folderHash of readdirSync(idDir).sort()) {
      const folder = join(idDir, folderHash);
      if (!statSync(folder).isDirectory()) continue;
      const files = filesUnder(folder);
      const folderPath = relative(stackDir, folder).split(sep).join('/');
      // Directory assets are referenced by folder; file and archive assets by their one file.
      const combined =
        files.length === 1
          ? fileContent(files[0] as string, root).slice(0, 12)
          : sha256(
              files
                .map((file) => `${relative(folder, file).split(sep).join('/')}\t${fileContent(file, root)}`)
                .join('\n'),
            )
              .digest('hex')
              .slice(0, 12);
      found.push({ path: `${folderPath}/`, folderHash, content: combined });
      for (const file of files) {
        const bytes = readFileSync(file);
        found.push({
          path: relative(stackDir, file).split(sep).join('/'),
          folderHash,
          sha256Hex: sha256(bytes).digest('hex'),
          sha256Base64: sha256(bytes).digest('base64'),
          content: fileContent(file, root).slice(0, 12),
        });
      }
    }
  }
  return found;
}

// cdktf names asset folders assets/<logical id>/<hash>/: https://github.com/hashicorp/terraform-cdk (terraform-asset.ts)
const ASSET_PATH = /assets\/([^/"'\s]+)\/([0-9A-Za-z_-]{8,})(\/[^"'\s)]*)?/g;

/**
 * Returns a function that rewrites asset references in a string: hash-named folders become
 * `<content …>` fingerprints, and hashes of asset files (`source_code_hash`) become the same fingerprint.
 * Assets that are not on disk keep a neutral `<asset>` placeholder, as their content cannot be compared.
 */
export function assetNormaliser(assets: readonly AssetFingerprint[]): (value: string) => string {
  const byFolderHash = new Map<string, string>();
  const byFileHash = new Map<string, string>();
  for (const asset of assets) {
    if (asset.path.endsWith('/')) byFolderHash.set(asset.folderHash, asset.content);
    if (asset.sha256Hex) byFileHash.set(asset.sha256Hex, asset.content);
    if (asset.sha256Base64) byFileHash.set(asset.sha256Base64, asset.content);
  }
  // Short prefixes too: constructs often use the first 32 hex characters as the folder name.
  for (const [hash, content] of byFolderHash) byFileHash.set(hash, content);
  return (value: string) => {
    const exact = byFileHash.get(value);
    if (exact !== undefined) return `<content ${exact}>`;
    return value.replace(ASSET_PATH, (_match, id: string, hash: string, rest: string | undefined) => {
      const content = byFolderHash.get(hash);
      // Any further hash in the file name says the same as the folder's, so it is folded too.
      const file = (rest ?? '').replace(/[0-9a-f]{12,}/g, '<hash>');
      return `assets/${id}/${content === undefined ? '<asset>' : `<content ${content}>`}${file}`;
    });
  };
}
