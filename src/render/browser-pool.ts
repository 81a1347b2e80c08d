/**
 * One long-lived headless Chromium and a fixed set of warm pages (one per render slot).
 *
 * - The browser is launched lazily, on the first page request, and shared by every page.
 * - A warm page has loaded the viewer's render page (three.js, decoders) and, when `warmup` is
 *   given, has run one throw-away render, so shaders are compiled and the default environment is
 *   already PMREM'd. Jobs then only swap the model.
 * - When the browser dies (crash, OOM kill, `kill -9`), its `disconnected` event drops it; the
 *   next request launches a fresh one. If the dead browser had lived a while it is relaunched
 *   right away in the background, so the next job finds warm pages again.
 * - A page that crashed, timed out or served `maxRendersPerPage` jobs is closed and replaced.
 */
import type { Page } from 'puppeteer-core';
import type { CoreLog } from '../core/deps.js';
import { launchChromium, type LaunchedBrowser } from './chromium-launch.js';

export interface WarmPage {
  page: Page;
  renders: number;
  /** Set when the page crashed or must not be reused. */
  broken: boolean;
  /** The browser session this page belongs to. */
  session: BrowserSession;
}

export interface BrowserSession {
  readonly id: number;
  readonly launched: LaunchedBrowser;
  readonly startedAt: number;
  /** True once the browser disconnected without us closing it. */
  died: boolean;
  closing: boolean;
}

export interface BrowserPoolOptions {
  chromePath: string;
  /** Absolute URL of the page to warm (read each time a page is opened). */
  pageUrl: () => string;
  slots: number;
  /** Runs once on each new page after it loaded (e.g. a throw-away render). */
  warmup?: (page: Page) => Promise<void>;
  /** Checks that the loaded page is the expected one; throws otherwise. */
  verify?: (page: Page) => Promise<void>;
  maxRendersPerPage?: number;
  protocolTimeoutMs?: number;
  log?: CoreLog;
}

const EAGER_RELAUNCH_AFTER_MS = 10_000;

export class BrowserPool {
  private session: BrowserSession | null = null;
  private launching: Promise<BrowserSession> | null = null;
  private readonly pages: (Promise<WarmPage> | null)[];
  private sessionCounter = 0;
  private closed = false;
  /** Launches so far (for diagnostics and tests). */
  launches = 0;

  constructor(private readonly opts: BrowserPoolOptions) {
    this.pages = Array.from({ length: Math.max(1, opts.slots) }, () => null);
  }

  /** Chromium's pid while a browser is running. */
  get pid(): number | null {
    return this.session && !this.session.died ? this.session.launched.pid : null;
  }

  get running(): boolean {
    return !!this.session && !this.session.died;
  }

  /** The warm page of a slot, launching the browser and loading the page when needed. */
  async page(slot: number): Promise<WarmPage> {
    if (this.closed) throw new Error('renderer closed');
    const pending = this.pages[slot];
    if (pending) {
      const wp = await pending.catch(() => null);
      if (wp && !wp.broken && !wp.session.died && !wp.page.isClosed() && wp.renders < (this.opts.maxRendersPerPage ?? 500)) return wp;
      if (this.pages[slot] === pending) {
        this.pages[slot] = null;
        if (wp) void this.closePage(wp);
      }
    }
    const created = this.openPage();
    this.pages[slot] = created;
    try {
      return await created;
    } catch (err) {
      if (this.pages[slot] === created) this.pages[slot] = null;
      throw err;
    }
  }

  /** Drops a slot's page (after a timeout or an error that may have left it mid-render). */
  recycle(slot: number): void {
    const pending = this.pages[slot];
    this.pages[slot] = null;
    void pending?.then((wp) => this.closePage(wp)).catch(() => {});
  }

  /** Launches the browser and warms every slot's page now instead of on first use. */
  async warmAll(): Promise<void> {
    await Promise.all(this.pages.map((_, i) => this.page(i)));
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = this.session ?? (await this.launching?.catch(() => null)) ?? null;
    this.session = null;
    this.pages.fill(null);
    if (s) {
      s.closing = true;
      await s.launched.dispose();
    }
  }

  /** Kills Chromium hard (tests: "the browser dies mid-render"). */
  killForTest(): boolean {
    const proc = this.session?.launched.browser.process();
    return proc ? proc.kill('SIGKILL') : false;
  }

  private async browser(): Promise<BrowserSession> {
    if (this.session && !this.session.died) return this.session;
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async launch(): Promise<BrowserSession> {
    const started = Date.now();
    const launched = await launchChromium(this.opts.chromePath, { protocolTimeoutMs: this.opts.protocolTimeoutMs });
    this.launches++;
    const session: BrowserSession = { id: ++this.sessionCounter, launched, startedAt: started, died: false, closing: false };
    if (this.closed) {
      await launched.dispose();
      throw new Error('renderer closed');
    }
    launched.browser.on('disconnected', () => this.onDisconnected(session));
    this.session = session;
    this.opts.log?.info({ pid: launched.pid, ms: Date.now() - started, session: session.id }, 'chromium launched');
    return session;
  }

  private onDisconnected(session: BrowserSession): void {
    if (session.closing) return;
    session.died = true;
    void session.launched.dispose();
    if (this.session !== session) return;
    this.session = null;
    this.pages.fill(null);
    const lived = Date.now() - session.startedAt;
    this.opts.log?.warn({ pid: session.launched.pid, lived_ms: lived }, 'chromium exited unexpectedly; it will be relaunched');
    // A browser that dies right after launch would loop: only relaunch eagerly after a healthy run.
    if (!this.closed && lived > EAGER_RELAUNCH_AFTER_MS) {
      void this.warmAll().catch((err) => !this.closed && this.opts.log?.warn({ err: String(err) }, 'chromium relaunch failed; retrying on the next render'));
    }
  }

  private async openPage(): Promise<WarmPage> {
    const session = await this.browser();
    const started = Date.now();
    const page = await session.launched.browser.newPage();
    const wp: WarmPage = { page, renders: 0, broken: false, session };
    try {
      page.on('error', (err) => {
        // "Page crashed!": the renderer process died, the browser may live on.
        wp.broken = true;
        this.opts.log?.warn({ err: String(err) }, 'render page crashed');
      });
      page.on('pageerror', (err) => this.opts.log?.warn({ err: String(err) }, 'render page error'));
      // Our own page: its CSP (e.g. helmet's default on non-embed routes) must not block the data:
      // and blob: URLs three.js loaders use for embedded buffers and textures.
      await page.setBypassCSP(true);
      // Frames are read back from the canvas (vitrine.capture), not screenshotted, so the viewport
      // can stay tiny: the compositor then has almost nothing to draw each frame (≈10 % faster
      // under SwiftShader, pixel-identical output). An explicit size also avoids the slow default.
      await page.setViewport({ width: 64, height: 64, deviceScaleFactor: 1 });
      await page.goto(this.opts.pageUrl(), { waitUntil: 'load', timeout: 30_000 });
      await this.opts.verify?.(page);
      await this.opts.warmup?.(page);
      this.opts.log?.info({ ms: Date.now() - started, session: session.id }, 'render page warm');
      return wp;
    } catch (err) {
      await page.close().catch(() => {});
      throw err;
    }
  }

  private async closePage(wp: WarmPage): Promise<void> {
    if (!wp.page.isClosed()) await wp.page.close().catch(() => {});
  }
}
