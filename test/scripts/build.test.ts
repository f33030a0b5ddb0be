import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { build } from 'esbuild';
import { bundleOptions, bundleSizes, functionNames } from '#scripts/build.ts';
import { DynamoVideoRepository } from '#shared/store';
import { REPO_ROOT } from '#tools/repo-root.ts';
import { type LocalVideoTable, startDynalite } from '../support/dynalite.ts';
import { loadEventFixture } from '../support/fixtures.ts';
import { holder } from '../support/pipeline-fakes.ts';

const run = promisify(execFile);

describe('build', () => {
  describe('bundleOptions', () => {
    it('bundles one function as minified, tree-shaken ESM for Node 22 with source maps and the SDK inside', () => {
      // Act
      const options = bundleOptions('update-video-list', { outDir: '/out' });

      // Assert
      expect(options).to.deep.include({
        entryPoints: { index: join(REPO_ROOT, 'functions', 'update-video-list', 'handler.ts') },
        outdir: '/out/update-video-list',
        outExtension: { '.js': '.mjs' },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        treeShaking: true,
        sourcemap: true,
        external: [],
      });
      expect(options.banner?.js).to.include('const require = __cjsCreateRequire(import.meta.url);');
    });

    it('leaves @aws-sdk/* external only when asked (the benchmark’s comparison build)', () => {
      expect(bundleOptions('update-video-list', { externalSdk: true }).external).to.deep.equal([
        '@aws-sdk/*',
      ]);
    });
  });

  describe('functionNames', () => {
    it('finds every function folder with a handler.ts', async () => {
      // Act
      const names = await functionNames();

      // Assert
      expect(names).to.include.members([
        'extract-metadata',
        'set-permissions',
        'transcode-status',
        'transcode-video',
        'update-video-list',
      ]);
      expect(names).to.deep.equal([...names].sort());
    });
  });

  describe('a built bundle', () => {
    let table: LocalVideoTable;
    let outDir: string;
    let bundle: string;
    let sizes: { bytes: number; totalBytes: number };

    before(async function () {
      this.timeout(60_000);
      table = await startDynalite();
      // Inside the repository, like dist/functions, so nothing outside it is needed to resolve.
      await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
      outDir = await mkdtemp(join(REPO_ROOT, 'dist', 'build-test-'));
      const result = await build(bundleOptions('update-video-list', { outDir }));
      bundle = join(outDir, 'update-video-list', 'index.mjs');
      sizes = bundleSizes(result.metafile ?? { inputs: {}, outputs: {} }, bundle);
    });

    after(async () => {
      await table?.stop();
      if (outDir) await rm(outDir, { recursive: true, force: true });
    });

    it('writes index.mjs with its source map and chunks', async () => {
      // Act
      const files = await readdir(join(outDir, 'update-video-list'));

      // Assert
      expect(files).to.include.members(['index.mjs', 'index.mjs.map']);
      expect(sizes.bytes).to.be.greaterThan(0).and.at.most(sizes.totalBytes);
    });

    it('runs its handler in plain node against DynamoDB at AWS_ENDPOINT_URL_DYNAMODB', async function () {
      this.timeout(30_000);
      // Arrange
      const videoId = 'AbCdEfGhIjKlMnOpQrStUv';
      const repository = new DynamoVideoRepository(table.documentClient, table.tableName);
      await repository.claim({
        videoId,
        source: { bucket: 'uploads', key: 'a.mov', filename: 'a.mov' },
        transcoder: 'elastic-transcoder',
        now: new Date(),
        holder: holder(),
      });
      const script = `
        const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
        await handler(JSON.parse(process.argv[1]));
      `;

      // Act
      await run(
        process.execPath,
        ['--input-type=module', '-e', script, JSON.stringify(loadEventFixture('sns-s3-put'))],
        {
          env: {
            PATH: process.env.PATH ?? '',
            VIDEO_TABLE_NAME: table.tableName,
            AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
          },
        },
      );

      // Assert
      const video = await repository.get(videoId);
      expect(video?.outputs.map((o) => [o.rendition, o.key])).to.deep.equal([
        ['1080p', `videos/${videoId}/1080p.mp4`],
      ]);
    });
  });
});
