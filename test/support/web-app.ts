import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { LOCAL_WEB_ORIGIN } from '../../infra/config.ts';

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A copy of the synthesized local stack whose web app origin is `http://127.0.0.1:<port>` instead of
 * the one `npm start` uses, written beside the original (asset paths in it are relative). Cognito's
 * callback and logout URLs, the API's and the upload bucket's CORS all move with it, so a test can run
 * while someone's `npm start` holds the default port.
 */
export async function stackOnWebPort(stackFile: string, port: number, tag: string): Promise<string> {
  const text = await readFile(stackFile, 'utf8');
  const moved = text.split(LOCAL_WEB_ORIGIN).join(`http://127.0.0.1:${port}`);
  const copy = join(dirname(stackFile), `cdk.${tag}-${process.pid}.tf.json`);
  await writeFile(copy, moved);
  return copy;
}

/** axe-core findings that block a release: every serious or critical violation on the page. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length} nodes)`);
}

/** Saves a full-page screenshot as `<dir>/<name>.png`. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
