import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type LocalApp, startLocalApp } from '#local/app';
import { launchChromium } from '#local/browser';
import { generateClip } from '#local/media';
import { prepareLocalStack, prepareWebApp } from '#local/prepare';
import { SynthesizedStack } from '#local/synthesized-stack';
import { freePort, stackOnWebPort } from '#local/web';
import { screenshot, seriousViolations } from '#test/support/web-app.ts';

/**
 * The page's globals, typed as far as the checks below read them: the test compiles without the DOM
 * library, and the functions that use this run inside the page (Playwright serializes them).
 */
type PageGlobals = {
  document: {
    querySelector(selector: 'video'): { videoWidth: number; currentTime: number } | null;
    querySelector(selector: 'progress'): { value: number } | null;
  };
};

/** Where the test leaves a screenshot of every view it visits (git-ignored). */
const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Bytes per second the browser may upload at, so the progress bar has time to move. */
const UPLOAD_THROUGHPUT = 400 * 1024;

describe('the web app in Chromium against the local cloud (end to end)', function () {
  this.timeout(240_000);

  let app: LocalApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let work: string;
  let clip: string;
  const pageErrors: string[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), '24hv-browser-'));
    clip = join(work, 'beach day.mp4');
    const port = await freePort();
    const [stackFile, webRoot] = await Promise.all([
      prepareLocalStack('mediaconvert'),
      prepareWebApp(),
      // A 1080p source gets every rendition, so the quality picker has something to switch between.
      generateClip(clip, { seconds: 4, width: 1920, height: 1080, audio: true }),
    ]);
    app = await startLocalApp({
      stack: stackOnWebPort(SynthesizedStack.fromFile(stackFile), port),
      webRoot,
      webPort: port,
      retryDelayMs: 50,
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.stop();
    await rm(work, { recursive: true, force: true });
  });

  /** Checks the view for serious accessibility problems and keeps a screenshot of it. */
  async function checkView(name: string): Promise<void> {
    await screenshot(page, SCREENSHOTS, name);
    expect(await seriousViolations(page), `axe on ${name}`).to.deep.equal([]);
  }

  describe('signing in', () => {
    it('shows a sign-in button to a visitor, then signs in through the local sign-in page and lands in the library', async () => {
      await page.goto(app.urls.web);
      const signIn = page.getByRole('button', { name: 'Sign in' });
      await signIn.waitFor();
      await checkView('signed-out');

      await signIn.click();
      await page.getByLabel('User name').fill('browser-alice');
      await checkView('sign-in-page');
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
      expect(new URL(page.url()).origin).to.equal(app.urls.web);
      await checkView('library-empty');
    });
  });

  describe('uploading', () => {
    it('shows the progress bar moving, then TRANSCODING and READY without a reload', async () => {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: UPLOAD_THROUGHPUT,
      });
      let loads = 0;
      page.on('load', () => {
        loads += 1;
      });

      await page.getByRole('link', { name: 'Upload', exact: true }).click();
      await page.getByRole('heading', { name: 'Upload videos', level: 1 }).waitFor();
      await checkView('upload');
      await page.getByLabel('Choose video files').setInputFiles(clip);
      await page.getByRole('button', { name: 'Upload', exact: true }).click();

      const bar = page.getByRole('progressbar', { name: 'Uploading beach day.mp4' });
      await bar.waitFor();
      const first = Number(await bar.getAttribute('value'));
      await page.waitForFunction(
        (before) =>
          ((globalThis as unknown as PageGlobals).document.querySelector('progress')?.value ?? 0) > before,
        first,
      );
      await checkView('upload-progress');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });

      await page.getByText('Transcoding', { exact: false }).first().waitFor();
      const watch = page.getByRole('link', { name: /^Watch / });
      await watch.waitFor({ timeout: 120_000 });
      expect(loads, 'page loads while the video was processed').to.equal(0);
      await checkView('upload-ready');
    });

    it('shows the reason a text file cannot be uploaded', async () => {
      const notes = join(work, 'notes.txt');
      await writeFile(notes, 'not a video');

      await page.getByLabel('Choose video files').setInputFiles(notes);

      await page.getByText(/is not a (video content type|supported video type)/).waitFor();
      await checkView('upload-rejected');
    });
  });

  describe('watching', () => {
    it('plays the video: time advances and the frame has a width', async () => {
      await page.getByRole('link', { name: /^Watch / }).click();
      await page.locator('video').waitFor();

      await page.locator('video').evaluate((video) => {
        const player = video as unknown as { muted: boolean; play(): Promise<void> };
        player.muted = true;
        return player.play();
      });
      await page.waitForFunction(() => {
        const video = (globalThis as unknown as PageGlobals).document.querySelector('video');
        return video !== null && video.videoWidth > 0 && video.currentTime > 0.5;
      });

      const frame = await page
        .locator('video')
        .evaluate((video) => (video as unknown as { videoWidth: number; currentTime: number }).videoWidth);
      expect(frame).to.be.above(0);
      await checkView('watch');
    });

    it('switches the quality and keeps it when the deep link is reloaded', async () => {
      const picker = page.getByLabel('Quality');
      const options = await picker
        .locator('option')
        .evaluateAll((list) => list.map((option) => (option as unknown as { value: string }).value));
      expect(options).to.deep.equal(['1080p', '720p', 'web-720p']);
      const other = options.find((value) => value !== '') ?? '';
      const current = await picker.inputValue();
      const target = options.find((value) => value !== current) ?? other;

      await picker.selectOption(target);
      await page.waitForURL((url) => url.searchParams.get('quality') === target);
      const source = await page
        .locator('video')
        .evaluate((video) => (video as unknown as { currentSrc: string }).currentSrc);
      await page.reload();

      await page.locator('video').waitFor();
      expect(await page.getByLabel('Quality').inputValue()).to.equal(target);
      expect(source).to.include(`${target}.mp4`);
    });
  });

  describe('the other views', () => {
    it('lists the video in the library and in My videos, and shows the profile', async () => {
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'beach day.mp4' }).first().waitFor();
      await checkView('library');

      await page.getByRole('link', { name: 'My videos' }).click();
      await page.getByRole('heading', { name: 'My videos', level: 1 }).waitFor();
      await checkView('my-videos');

      await page.getByRole('link', { name: 'Profile' }).click();
      await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
      await page.getByText('browser-alice@localhost').waitFor();
      await checkView('profile');
    });
  });

  describe('owning the video', () => {
    const title = 'Sunny beach day, 海辺';

    it('renames it in place and shows the new title in the library', async () => {
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('link', { name: 'beach day.mp4' }).first().click();
      await page.getByRole('button', { name: 'Edit details' }).click();
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Description').fill('Waves, sand and a sine tone.');
      await page.getByRole('button', { name: 'Save' }).click();

      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await checkView('watch-owner');
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('link', { name: title }).waitFor();
    });

    it('makes it private: it leaves the library, stays in My videos and still plays for its owner', async () => {
      await page.getByRole('link', { name: title }).click();
      await page.getByLabel('Visibility').selectOption('private');
      await page.getByText('Private', { exact: true }).first().waitFor();

      await page.reload();
      await page.locator('video').evaluate((video) => {
        const player = video as unknown as { muted: boolean; play(): Promise<void> };
        player.muted = true;
        return player.play();
      });
      await page.waitForFunction(() => {
        const video = (globalThis as unknown as PageGlobals).document.querySelector('video');
        return video !== null && video.videoWidth > 0 && video.currentTime > 0.2;
      });
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
      await page.getByRole('link', { name: title }).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'My videos' }).click();
      await page.getByRole('link', { name: title }).waitFor();
    });

    it('deletes it after a confirmation that names it, and it is gone from every view', async () => {
      await page.getByRole('button', { name: `Delete ${title}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete video?' });
      await dialog.getByText(title).waitFor();
      await checkView('delete-dialog');
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();

      await page.getByRole('link', { name: title }).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'Library' }).click();
      await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
      expect(await page.getByRole('link', { name: title }).count()).to.equal(0);
    });
  });

  describe('signing out', () => {
    it('ends the session and is back at sign-in', async () => {
      await page.getByRole('link', { name: 'Profile' }).click();
      await page.getByRole('button', { name: 'Sign out' }).click();

      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.goto(`${app.urls.web}/mine`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(pageErrors).to.deep.equal([]);
    });
  });
});
