/**
 * Chromium for the browser tests and benches: the same binary lookup (config: CHROME_PATH, else
 * the Debian paths) and the same launch (flags, fresh profile) as the thumbnail renderer, so the
 * tests exercise exactly what production runs.
 */
import { loadConfig } from '../../src/config.js';

export { launchChromium, type LaunchedBrowser } from '../../src/render/chromium-launch.js';

export function findChromium(): string | null {
  return loadConfig({ CHROME_PATH: process.env.CHROME_PATH }).render.chromePath;
}

/**
 * The Chromium a browser suite runs on, or null after a loud warning (the suite then skips).
 * Under CI=true a missing Chromium is a failure: `.ci/run` installs it.
 */
export function chromiumForSuite(suite: string): string | null {
  const found = findChromium();
  if (found) return found;
  const msg = `!!! NO CHROMIUM FOUND (apt-get install -y chromium, or set CHROME_PATH): ${suite} are SKIPPED`;
  if (process.env.CI === 'true') throw new Error(`${msg} — and CI=true, so this is a failure`);
  console.warn(`\n${'!'.repeat(100)}\n${msg}\n${'!'.repeat(100)}\n`);
  return null;
}
