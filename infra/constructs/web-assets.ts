import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { contentTypeOf, HASHED_ASSETS_DIR, IMMUTABLE, NO_CACHE, RUNTIME_CONFIG_PATH } from '#shared/web';
import type { SecureBucket } from './media-storage.ts';

/** The web app's build is not where synthesis looks for it. */
export class MissingWebBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MissingWebBuildError';
  }
}

/** The Cache-Control of a build file: {@link IMMUTABLE} under `assets/`, {@link NO_CACHE} elsewhere. */
export function cacheControlOf(key: string): string {
  return key.startsWith(HASHED_ASSETS_DIR) ? IMMUTABLE : NO_CACHE;
}

/**
 * The object keys of a build: every file's path relative to `dir`, sorted. Dot-files and folders
 * (`.vite/manifest.json`) are build metadata, and `config.json` is written from Terraform values, so
 * none of them is uploaded from the build.
 */
export function webBuildKeys(dir: string): string[] {
  const keys: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const full = join(folder, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) keys.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return keys.filter((key) => `/${key}` !== RUNTIME_CONFIG_PATH);
}

/** The folder the build is copied to beside the stack: `assets/<id>/web-build/`. */
export const BUILD_FOLDER = 'web-build';

/** Props of {@link WebAssets}. */
export interface WebAssetsProps {
  readonly bucket: SecureBucket;
  /** The built app: `web/dist` after `npm run build:web`. */
  readonly buildDir: string;
}

/**
 * Uploads the build: the folder becomes a `TerraformAsset` (copied beside the stack, so the JSON names
 * relative paths only), and each file one `aws_s3_object` keyed by its path, with its content type,
 * cache control and a SHA-256 `source_hash` (SSE-KMS ETags are not MD5s, so `etag` cannot track
 * content). The same build always synthesizes the same resources; a new one changes only the objects
 * of the files that changed (and adds and removes the renamed hashed assets).
 */
export class WebAssets extends Construct {
  readonly objects: readonly S3Object[];

  constructor(scope: Construct, id: string, props: WebAssetsProps) {
    super(scope, id);
    const { bucket, buildDir } = props;
    if (!existsSync(join(buildDir, 'index.html'))) {
      throw new MissingWebBuildError(
        `No web app build at ${buildDir} (index.html is missing). Run \`npm run build:web\` before synthesizing the stages that host the web app (dev, prod); the local stage does not need it.`,
      );
    }
    // A fixed folder name instead of cdktf's content hash: a new build then changes the `source` of no
    // object, and `source_hash` alone says which files changed, so only those are uploaded again.
    const asset = new TerraformAsset(this, 'build', {
      path: buildDir,
      type: AssetType.DIRECTORY,
      assetHash: BUILD_FOLDER,
    });
    this.objects = webBuildKeys(buildDir).map(
      (key) =>
        new S3Object(this, key, {
          bucket: bucket.bucket.id,
          key,
          source: `${asset.path}/${key}`,
          sourceHash: createHash('sha256')
            .update(readFileSync(join(buildDir, key)))
            .digest('hex'),
          contentType: contentTypeOf(key),
          cacheControl: cacheControlOf(key),
          // Written before the bucket's default encryption, an object would stay under S3's own key.
          dependsOn: [bucket.encryption],
        }),
    );
  }
}
