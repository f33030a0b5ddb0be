/**
 * `npm run bench:web [-- --loads 10 --videos 50 --trace]`: what the web app costs a visitor of the library.
 *
 * - the gzipped JS and CSS the browser fetched before the library's first page showed (everything,
 *   lazy chunks included, not only what index.html names);
 * - the API requests made before that page showed (the target is 1: no waterfall);
 * - the median time from navigation to the library's cards in the DOM, over N reloads of a signed-in
 *   tab with a library of 50 READY videos, beside the same measure for a static HTML page of the same
 *   50 cards served by the same server. The ratio is the figure; both are measured in one run.
 *
 * It runs the real local cloud (API, OpenID provider, web server), seeds the video table directly and
 * drives Chromium. It prints figures and asserts nothing.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { median } from '#bench/support/stats.ts';
import { startLocalApp } from '#local/app';
import { launchChromium } from '#local/browser';
import { prepareLocalStack, prepareWebApp } from '#local/prepare';
import { SynthesizedStack } from '#local/synthesized-stack';
import { freePort, stackOnWebPort } from '#local/web';
import { RENDITIONS } from '#shared/video';

const { values } = parseArgs({
  options: {
    loads: { type: 'string', default: '10' },
    videos: { type: 'string', default: '50' },
    trace: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const LOADS = Number(values.loads);
const VIDEOS = Number(values.videos);

/** The smallest valid JPEG (1×1 px): every seeded video gets one as its poster. */
const POSTER = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** Records, in the page, when the library's cards are first all in the DOM (ms since navigation). */
const CARD_TIMER = `
  globalThis.__cardsAt = undefined;
  new MutationObserver((_, observer) => {
    if (document.querySelectorAll('li.card').length >= ${VIDEOS}) {
      globalThis.__cardsAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

function videoId(n: number): string {
  return `bench${String(n).padStart(17, '0')}`;
}

async function seedLibrary(app: Awaited<ReturnType<typeof startLocalApp>>): Promise<void> {
  const { cloud } = app;
  const documents = DynamoDBDocumentClient.from(cloud.clients.dynamodb);
  const start = Date.parse('2026-11-01T00:00:00Z');
  await Promise.all(
    Array.from({ length: VIDEOS }, async (_, n) => {
      const id = videoId(n);
      const createdAt = new Date(start + n * 60_000).toISOString();
      const poster = `videos/${id}/poster.0000000.jpg`;
      const probe = {
        durationSeconds: 60 + n,
        width: 1280,
        height: 720,
        rotation: 0,
        videoCodec: 'h264',
        audioCodec: 'aac',
        bitRate: 3_000_000,
        size: 20_000_000,
        frameRate: 25,
      };
      await cloud.clients.s3.send(
        new PutObjectCommand({
          Bucket: cloud.names.transcodedBucket,
          Key: poster,
          Body: POSTER,
          ContentType: 'image/jpeg',
        }),
      );
      await documents.send(
        new PutCommand({
          TableName: cloud.names.videoTable,
          Item: {
            videoId: id,
            status: 'READY',
            visibility: 'public',
            createdAt,
            updatedAt: createdAt,
            ownerId: 'bench-owner',
            source: { bucket: cloud.names.uploadBucket, key: `seed/${id}.mp4`, filename: `Clip ${n}.mp4` },
            jobComplete: true,
            progress: 100,
            renditions: Object.fromEntries(RENDITIONS.map((r) => [r, { key: `videos/${id}/${r}.mp4` }])),
            public: Object.fromEntries(RENDITIONS.map((r) => [r, true])),
            probes: Object.fromEntries(RENDITIONS.map((r) => [r, probe])),
            metadata: probe,
            poster,
          },
        }),
      );
    }),
  );
}

/** A static page of the same cards as the library's first page, with the app's own stylesheet. */
async function writeStaticPage(webRoot: string, page: Page): Promise<string> {
  const cards = await page
    .locator('ul.card-grid')
    .evaluate((list) => (list as unknown as { outerHTML: string }).outerHTML);
  const styles = await page
    .locator('link[rel="stylesheet"]')
    .evaluateAll((links) =>
      links.map((link) => (link as unknown as { outerHTML: string }).outerHTML).join('\n'),
    );
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Library (static)</title>
${styles}</head><body><main><h1>Library</h1>${cards}</main></body></html>`;
  await writeFile(join(webRoot, 'static-library.html'), html);
  return '/static-library.html';
}

/** Loads `url` in the tab (a reload when it is already there) and returns when the cards were in the DOM. */
async function timeLoad(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { __cardsAt?: number }).__cardsAt !== undefined, null, {
    timeout: 30_000,
  });
  return page.evaluate(() => (globalThis as unknown as { __cardsAt: number }).__cardsAt);
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [stackFile, builtApp] = await Promise.all([prepareLocalStack('mediaconvert'), prepareWebApp()]);
  const work = await mkdtemp(join(tmpdir(), '24hv-bench-web-'));
  const webRoot = join(work, 'web');
  await cp(builtApp, webRoot, { recursive: true });
  const port = await freePort();
  const app = await startLocalApp({
    stack: stackOnWebPort(SynthesizedStack.fromFile(stackFile), port),
    webRoot,
    webPort: port,
  });
  const browser = await launchChromium();
  try {
    await seedLibrary(app);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(CARD_TIMER);

    await page.goto(app.urls.web);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('User name').fill('bench');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .locator('li.card')
      .nth(VIDEOS - 1)
      .waitFor();

    // One fresh load, with the HTTP cache off, to see what a first visit fetches.
    const fetched: { url: string; type: string }[] = [];
    const apiCalls: string[] = [];
    const onRequest = (request: import('playwright-core').Request) => {
      const url = new URL(request.url());
      if (url.origin === app.urls.web) fetched.push({ url: url.pathname, type: request.resourceType() });
      if (url.origin === app.urls.api) apiCalls.push(`${request.method()} ${url.pathname}${url.search}`);
    };
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    page.on('request', onRequest);
    await timeLoad(page, app.urls.web);
    page.off('request', onRequest);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });

    const sizeOf = async (type: 'script' | 'stylesheet') => {
      const files = [...new Set(fetched.filter((f) => f.type === type).map((f) => f.url))];
      const sizes = await Promise.all(
        files.map(async (f) => gzipSync(await readFile(join(webRoot, f))).length),
      );
      return { files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) };
    };
    const js = await sizeOf('script');
    const css = await sizeOf('stylesheet');
    const html = await readFile(join(webRoot, 'index.html'), 'utf8');
    const entry = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    const entryBytes = (
      await Promise.all(entry.map(async (f) => gzipSync(await readFile(join(webRoot, f))).length))
    ).reduce((a, b) => a + b, 0);

    const staticPath = await writeStaticPage(webRoot, page);
    const appTimes: number[] = [];
    const staticTimes: number[] = [];
    // Alternate the two pages, so load on the machine falls on both alike.
    await timeLoad(page, app.urls.web);
    await timeLoad(page, `${app.urls.web}${staticPath}`);
    for (let i = 0; i < LOADS; i += 1) {
      appTimes.push(await timeLoad(page, app.urls.web));
      staticTimes.push(await timeLoad(page, `${app.urls.web}${staticPath}`));
    }

    if (values.profile) {
      const profiler = await context.newCDPSession(page);
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.send('Profiler.start');
      await timeLoad(page, app.urls.web);
      const { profile } = await profiler.send('Profiler.stop');
      const self = new Map<string, number>();
      const interval = (profile.endTime - profile.startTime) / (profile.samples?.length || 1) / 1000;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      for (const id of profile.samples ?? []) {
        const node = byId.get(id);
        if (!node) continue;
        const f = node.callFrame;
        const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(name, (self.get(name) ?? 0) + interval);
      }
      console.log(
        [...self]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([n, t]) => `${t.toFixed(1).padStart(6)} ms  ${n}`)
          .join('\n'),
      );
    }
    if (values.trace) {
      console.log('One load of the library, resource timings (ms since navigation):');
      await timeLoad(page, app.urls.web);
      const entries = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map(
            (e) =>
              `${e.startTime.toFixed(0).padStart(5)} → ${(e.startTime + e.duration).toFixed(0).padStart(5)}  ${e.name}`,
          ),
      );
      console.log(entries.join('\n'));
    }
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const appMedian = median(appTimes);
    const staticMedian = median(staticTimes);
    console.log(`
bench:web — ${VIDEOS} READY videos, ${LOADS} loads each, Chromium ${browser.version()}, warm HTTP cache

| measure | value | target |
| --- | --- | --- |
| JS fetched before the library's first page (gzip) | ${kb(js.bytes)} in ${js.files} files | ≤ 100 KiB |
| of which index.html names | ${kb(entryBytes)} | |
| CSS fetched before the library's first page (gzip) | ${kb(css.bytes)} in ${css.files} files | |
| API requests before the library's first page | ${apiCalls.length} (${apiCalls.join(', ')}) | 1 |
| first library render, median | ${ms(appMedian)} (${appTimes.map((t) => t.toFixed(0)).join(', ')}) | |
| static page of the same cards, median | ${ms(staticMedian)} (${staticTimes.map((t) => t.toFixed(0)).join(', ')}) | |
| ratio | ${(appMedian / staticMedian).toFixed(2)}× | ≤ 2× |
`);
    await context.close();
  } finally {
    await browser.close();
    await app.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
