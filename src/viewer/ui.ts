/**
 * The element's shadow DOM: canvas, poster, loading bar, fullscreen button, interaction prompt,
 * and an error line. Styles go through a constructed stylesheet (adoptedStyleSheets) because the
 * /embed page runs under a CSP without 'unsafe-inline' styles; a <style> tag would be blocked.
 * Page authors can style the parts with ::part(progress), ::part(fullscreen-button), etc.
 */

const CSS = `
:host { display: block; position: relative; width: 100%; overflow: hidden; contain: content;
  -webkit-tap-highlight-color: transparent; font: 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
:host([hidden]) { display: none; }
.stage { position: absolute; inset: 0; }
canvas { display: block; width: 100%; height: 100%; touch-action: none; outline: none; }
.poster { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; pointer-events: none;
  transition: opacity .4s ease; }
.poster[hidden], .prompt[hidden], .fullscreen[hidden], .progress[hidden], .message[hidden] { display: none; }
.progress { position: absolute; left: 0; right: 0; top: 0; height: 3px; background: rgba(0,0,0,.06);
  transition: opacity .3s ease; }
.progress .bar { height: 100%; width: 0; background: var(--vitrine-accent, #4f6bff); transition: width .15s ease; }
.progress.indeterminate .bar { width: 30%; animation: slide 1.1s ease-in-out infinite; }
@keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
.progress.done { opacity: 0; }
.fullscreen { position: absolute; right: 10px; bottom: 10px; width: 34px; height: 34px; padding: 7px; border: 0;
  border-radius: 8px; background: rgba(255,255,255,.82); color: #222; cursor: pointer;
  box-shadow: 0 1px 3px rgba(0,0,0,.18); opacity: .85; transition: opacity .2s ease; }
.fullscreen:hover, .fullscreen:focus-visible { opacity: 1; }
.fullscreen svg { width: 100%; height: 100%; display: block; }
.prompt { position: absolute; left: 50%; bottom: 14px; transform: translateX(-50%); display: flex; gap: 6px;
  align-items: center; padding: 6px 12px 6px 8px; border-radius: 999px; background: rgba(20,20,24,.62); color: #fff;
  pointer-events: none; opacity: 0; transition: opacity .5s ease; white-space: nowrap; }
.prompt.visible { opacity: 1; }
.prompt svg { width: 18px; height: 18px; animation: sway 2.4s ease-in-out infinite; }
@keyframes sway { 0%,100% { transform: translateX(-3px); } 50% { transform: translateX(3px); } }
.message { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; padding: 16px;
  text-align: center; color: #555; background: rgba(245,245,247,.9); }
@media (prefers-reduced-motion: reduce) { .prompt svg, .progress.indeterminate .bar { animation: none; } }
`;

const TEMPLATE = `
<div class="stage" part="stage">
  <canvas part="canvas" tabindex="0" aria-label="3D model viewer"></canvas>
  <img class="poster" part="poster" alt="" hidden>
  <div class="progress" part="progress" role="progressbar" aria-label="Loading model" hidden><div class="bar"></div></div>
  <button class="fullscreen" part="fullscreen-button" type="button" aria-label="Fullscreen" title="Fullscreen" hidden>
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/></svg>
  </button>
  <div class="prompt" part="interaction-prompt" aria-hidden="true" hidden>
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M9 11V5.5a1.5 1.5 0 013 0V11m0-1.5a1.5 1.5 0 013 0V11m0-.5a1.5 1.5 0 013 0v4.5a6 6 0 01-6 6h-1a6 6 0 01-5-2.7L4.3 15a1.5 1.5 0 012.4-1.8L9 15.5"/></svg>
    <span>Drag to rotate</span>
  </div>
  <div class="message" part="message" role="status" hidden></div>
</div>`;

let sharedSheet: CSSStyleSheet | null = null;

function baseSheet(): CSSStyleSheet | null {
  if (sharedSheet) return sharedSheet;
  try {
    sharedSheet = new CSSStyleSheet();
    sharedSheet.replaceSync(CSS);
  } catch {
    sharedSheet = null;
  }
  return sharedSheet;
}

export interface UiOptions {
  fullscreenButton: boolean;
  loadingBar: boolean;
  interactionPrompt: boolean;
  /** Render mode (thumbnails): nothing but the canvas. */
  bare: boolean;
}

export class ViewerUi {
  readonly canvas: HTMLCanvasElement;
  private readonly poster: HTMLImageElement;
  private readonly progress: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly fullscreen: HTMLButtonElement;
  private readonly prompt: HTMLElement;
  private readonly message: HTMLElement;
  private readonly hostSheet: CSSStyleSheet | null = null;
  private options: UiOptions = { fullscreenButton: false, loadingBar: true, interactionPrompt: false, bare: false };
  private loading = false;
  private promptTimer: ReturnType<typeof setTimeout> | undefined;
  private promptDismissed = false;

  constructor(private readonly host: HTMLElement, root: ShadowRoot) {
    root.innerHTML = TEMPLATE;
    const sheet = baseSheet();
    try {
      this.hostSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = sheet ? [sheet, this.hostSheet] : [this.hostSheet];
    } catch {
      // Very old browsers: a <style> tag (works everywhere but under a strict CSP).
      const style = document.createElement('style');
      style.textContent = CSS;
      root.prepend(style);
    }
    const $ = <T extends Element>(sel: string) => root.querySelector(sel) as T;
    this.canvas = $('canvas');
    this.poster = $('.poster');
    this.progress = $('.progress');
    this.bar = $('.progress .bar');
    this.fullscreen = $('.fullscreen');
    this.prompt = $('.prompt');
    this.message = $('.message');
    this.fullscreen.addEventListener('click', () => this.toggleFullscreen());
  }

  /** The element keeps this ratio when the page sets only its width. Page CSS still wins. */
  setAspectRatio(ratio: number): void {
    this.hostSheet?.replaceSync(`:host { aspect-ratio: ${ratio.toFixed(5)}; }`);
  }

  setOptions(options: UiOptions): void {
    this.options = options;
    const canFullscreen = typeof document !== 'undefined' && document.fullscreenEnabled;
    this.fullscreen.hidden = options.bare || !options.fullscreenButton || !canFullscreen;
    this.progress.hidden = options.bare || !options.loadingBar || !this.loading;
    if (options.bare || !options.interactionPrompt) this.hidePrompt(false);
  }

  setProgress(fraction: number | null): void {
    this.loading = true;
    this.progress.hidden = this.options.bare || !this.options.loadingBar;
    this.progress.classList.remove('done');
    this.progress.classList.toggle('indeterminate', fraction === null);
    if (fraction !== null) this.bar.style.width = `${Math.round(fraction * 100)}%`;
  }

  loaded(): void {
    this.loading = false;
    this.bar.style.width = '100%';
    this.progress.classList.remove('indeterminate');
    this.progress.classList.add('done');
    this.hidePoster();
    this.message.hidden = true;
  }

  showPoster(url: string | null): void {
    if (!url || this.options.bare) return;
    this.poster.src = url;
    this.poster.hidden = false;
  }

  hidePoster(): void {
    this.poster.hidden = true;
  }

  /** Shows "Drag to rotate" after a short idle, until the visitor first touches the model. */
  schedulePrompt(): void {
    if (this.promptDismissed || this.options.bare || !this.options.interactionPrompt) return;
    clearTimeout(this.promptTimer);
    this.prompt.hidden = false;
    this.promptTimer = setTimeout(() => this.prompt.classList.add('visible'), 1200);
  }

  hidePrompt(dismiss = true): void {
    if (dismiss) this.promptDismissed = true;
    clearTimeout(this.promptTimer);
    this.prompt.classList.remove('visible');
    this.prompt.hidden = true;
  }

  showMessage(text: string): void {
    this.message.textContent = text;
    this.message.hidden = this.options.bare;
    this.progress.hidden = true;
  }

  private toggleFullscreen(): void {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void this.host.requestFullscreen?.().catch(() => {});
  }

  dispose(): void {
    clearTimeout(this.promptTimer);
  }
}
