import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, used when the machine has it; otherwise the one `@sparticuz/chromium` ships in npm. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a headless Chromium on a machine with no internet: without the background-networking
 * flags Chromium keeps dialling Google's services, and as root it needs `--no-sandbox`.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-zygote',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--autoplay-policy=no-user-gesture-required',
] as const;

/** The Chromium binary to drive: `/usr/bin/chromium` when present, else the npm-shipped build (unpacked on first use). */
export async function chromiumPath(): Promise<string> {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  // The package's own flag list turns web security off, which would hide CORS mistakes: only its binary is used.
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

/** Launches headless Chromium with {@link CHROMIUM_FLAGS}; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), headless: true, args: [...CHROMIUM_FLAGS] });
}
