/**
 * Headless Chromium for the viewer tests and benches: Debian's chromium through puppeteer-core,
 * with the flags that give WebGL2 through SwiftShader on a machine without a GPU (REFERENCE.md).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // Keep rAF running for pages that aren't focused.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'vitrine-chrome-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`],
    defaultViewport: { width: 800, height: 600, deviceScaleFactor: 1 },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
