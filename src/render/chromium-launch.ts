/**
 * Launching headless Chromium the one way that gives WebGL2 on a machine without a GPU: ANGLE on
 * SwiftShader (see REFERENCE.md). `--use-gl=swiftshader`, `--disable-software-rasterizer` and
 * `--use-angle=vulkan` silently kill WebGL, so they are never passed.
 */
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--mute-audio',
  '--hide-scrollbars',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // Warm pages sit in the background between jobs; never let Chromium throttle them.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
]);

export const INSTALL_ADVICE =
  'Thumbnail rendering needs Chromium on the server. Install it (Debian/Ubuntu: apt-get install -y chromium) ' +
  'or point CHROME_PATH at a Chromium/Chrome binary, then restart vitrine. Everything else works without it.';

export async function isExecutable(file: string | null | undefined): Promise<boolean> {
  if (!file) return false;
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface LaunchedBrowser {
  browser: Browser;
  /** Chromium's process id (for tests and diagnostics). */
  pid: number | null;
  /** Closes the browser (if still running) and removes its profile directory. */
  dispose(): Promise<void>;
}

/** Starts one Chromium with a fresh profile in a temp dir. */
export async function launchChromium(executablePath: string, opts: { protocolTimeoutMs?: number } = {}): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'vitrine-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // Our flags only: puppeteer's defaults add nothing we need, and we must control the GL ones.
      ignoreDefaultArgs: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'],
      pipe: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      defaultViewport: null,
      protocolTimeout: opts.protocolTimeoutMs ?? 60_000,
      timeout: 30_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
  const pid = browser.process()?.pid ?? null;
  let disposed: Promise<void> | null = null;
  return {
    browser,
    pid,
    dispose() {
      disposed ??= (async () => {
        try {
          if (browser.connected) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5_000))]);
        } catch {
          // already gone
        }
        const proc = browser.process();
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        await rm(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }).catch(() => {});
      })();
      return disposed;
    },
  };
}
