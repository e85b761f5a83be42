// Real headless Chromium (Debian's, driven by playwright-core), as the report tests launch it.
import type { Browser } from 'playwright-core';
import { binary } from '../support/binaries.ts';

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: binary('chromium'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where tests leave their screenshots: SOLIDA_SCREENSHOTS (e.g. docs/img to refresh the README's), else a temp dir. */
export function screenshotPath(dir: string, name: string): string {
  return `${process.env.SOLIDA_SCREENSHOTS ?? dir}/${name}`;
}
