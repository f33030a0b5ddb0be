import { extname } from 'node:path';

/**
 * How the web app's build is served, the same behind CloudFront (infra uploads each file with these
 * headers) and on the local web server: one table, so a file cannot play locally and break deployed.
 */

/** Cache-Control of content-hashed files: a new build gives them new names, so browsers keep them a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of everything else (`index.html`, `config.json`, unhashed files): revalidate every time. */
export const NO_CACHE = 'no-cache';

/** Vite's `build.assetsDir`: every file it writes there carries a content hash in its name. */
export const HASHED_ASSETS_DIR = 'assets/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** The Content-Type of a build file, by extension (`nosniff` makes browsers trust it); octet-stream if unknown. */
export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
}
