/**
 * `npm run screenshots`: the README's pictures of the library and the watch page, taken in the same
 * Chromium as the browser test, against the real local cloud: a few generated clips go through the
 * whole pipeline first, so the posters, durations and renditions are real. Writes
 * `docs/screenshots/{library,watch}.png`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalApp } from '#local/app';
import { launchChromium } from '#local/browser';
import { uploadFile, waitForTerminal } from '#local/follow';
import { generateClip } from '#local/media';
import { prepareLocalStack, prepareWebApp } from '#local/prepare';
import { SynthesizedStack } from '#local/synthesized-stack';
import { freePort, stackOnWebPort } from '#local/web';
import { REPO_ROOT } from '#tools/repo-root.ts';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');

const CLIPS = [
  { name: 'Harbour at dawn.mp4', seconds: 8, width: 1280, height: 720 },
  { name: 'Market street.mp4', seconds: 5, width: 1920, height: 1080 },
  { name: 'Trail run, phone.mp4', seconds: 6, width: 720, height: 1280 },
] as const;

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const work = await mkdtemp(join(tmpdir(), '24hv-screenshots-'));
  const [stackFile, webRoot] = await Promise.all([prepareLocalStack('mediaconvert'), prepareWebApp()]);
  const port = await freePort();
  const app = await startLocalApp({
    stack: stackOnWebPort(SynthesizedStack.fromFile(stackFile), port),
    webRoot,
    webPort: port,
  });
  const browser = await launchChromium();
  try {
    for (const clip of CLIPS) {
      const file = join(work, clip.name);
      await generateClip(file, {
        seconds: clip.seconds,
        width: clip.width,
        height: clip.height,
        audio: true,
      });
      const { videoId } = await uploadFile(app.cloud, file);
      const video = await waitForTerminal(app.cloud, videoId, { timeoutMs: 5 * 60_000 });
      if (video.status !== 'READY') throw new Error(`${clip.name} ended ${video.status}: ${video.reason}`);
    }
    const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    await page.goto(app.urls.web);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('User name').fill('dev');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .locator('li.card img')
      .nth(CLIPS.length - 1)
      .waitFor();
    await page.waitForFunction(() =>
      Array.from(
        (globalThis as unknown as { document: { images: ArrayLike<{ complete: boolean }> } }).document.images,
      ).every((image) => image.complete),
    );
    await mkdir(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'library.png') });

    await page.getByRole('link', { name: CLIPS[0].name }).click();
    await page.locator('video').waitFor();
    await page.locator('video').evaluate(async (element) => {
      const video = element as unknown as {
        muted: boolean;
        currentTime: number;
        play(): Promise<void>;
        pause(): void;
      };
      video.muted = true;
      await video.play();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      video.pause();
    });
    await page.screenshot({ path: join(OUT, 'watch.png'), fullPage: true });
    console.log(`Wrote ${join(OUT, 'library.png')} and ${join(OUT, 'watch.png')}`);
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
