import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LambdaLayerVersion } from '@cdktf/provider-aws/lib/lambda-layer-version';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { ENV } from '#shared/config';
import type { StageConfig } from '../config.ts';
import { cachedArchiveByKey } from './archive.ts';
import { type BundledFunction, RUNTIME } from './bundled-function.ts';

/** Where the layer puts ffprobe: layers unpack under /opt. */
export const FFPROBE_LAYER_PATH = '/opt/bin/ffprobe';

/** The static Linux x86_64 ffprobe shipped by `@ffprobe-installer/linux-x64`, and its package version. */
export function ffprobeFromPackage(): { binary: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@ffprobe-installer/linux-x64/package.json');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  return { binary: join(dirname(pkgJson), 'ffprobe'), version };
}

/** Props of {@link FfprobeLayer}. */
export interface FfprobeLayerProps {
  readonly config: StageConfig;
  readonly assetCacheDir: string;
  /** The binary and a key that changes when it does; defaults to {@link ffprobeFromPackage}. */
  readonly ffprobe?: { readonly binary: string; readonly version: string };
}

/**
 * A Lambda layer holding `bin/ffprobe` (x86_64). The zip is cached by the package version, so the
 * 79 MB binary is compressed once, not on every synth.
 */
export class FfprobeLayer extends Construct {
  readonly layer: LambdaLayerVersion;

  constructor(scope: Construct, id: string, props: FfprobeLayerProps) {
    super(scope, id);
    const ffprobe = props.ffprobe ?? ffprobeFromPackage();
    const archive = cachedArchiveByKey(
      () => [{ name: 'bin/ffprobe', path: ffprobe.binary, mode: 0o755 }],
      props.assetCacheDir,
      `ffprobe-layer-${ffprobe.version.replace(/[^A-Za-z0-9.-]/g, '_')}`,
    );
    const asset = new TerraformAsset(this, 'zip', {
      path: archive.path,
      type: AssetType.FILE,
      assetHash: archive.sha256Hex.slice(0, 32),
    });
    this.layer = new LambdaLayerVersion(this, 'layer', {
      layerName: `${props.config.namePrefix}-ffprobe`,
      description: `ffprobe ${ffprobe.version} (static, x86_64) at ${FFPROBE_LAYER_PATH}`,
      filename: asset.path,
      sourceCodeHash: archive.sha256Base64,
      compatibleRuntimes: [RUNTIME],
      compatibleArchitectures: ['x86_64'],
    });
  }

  /** Attaches the layer and tells the function where ffprobe is. The function must be x86_64. */
  attachTo(fn: BundledFunction): void {
    fn.addLayer(this.layer.arn);
    fn.addEnvironment(ENV.FFPROBE_PATH, FFPROBE_LAYER_PATH);
  }
}
