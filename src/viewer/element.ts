/**
 * <vitrine-viewer> — the embeddable element.
 *
 *   <vitrine-viewer model-id="ID"></vitrine-viewer>           published model via its manifest
 *   <vitrine-viewer model-id="ID" data-config='{"bg_mode":"transparent"}'>   embed override layer
 *   <vitrine-viewer src="/x.glb" config='{…}' hdri-url="/assets/hdri/studio.exr">  direct mode
 *
 * Attributes: model-id, base-url (defaults to where vitrine.js was served from), data-config,
 * src, config, hdri-url, render-mode (bare canvas for thumbnails), poster.
 * Events: `load` (first frame with the model drawn), `error` (detail: { code, message }),
 * `progress` (detail: { fraction }).
 */
import { aspectValue, mergeLayers, parseConfigJson, sanitizeLayer, type SceneConfig } from './config.js';
import { fetchManifest, ManifestError, resolveHdriPreset, type Manifest } from './manifest.js';
import { normaliseBase, resolveUrl } from './script-base.js';
import { ViewerUi } from './ui.js';
import { Viewer } from './viewer.js';

const OBSERVED = ['model-id', 'base-url', 'data-config', 'src', 'config', 'hdri-url', 'render-mode', 'poster'] as const;

export class VitrineViewerElement extends HTMLElement {
  static get observedAttributes(): readonly string[] {
    return OBSERVED;
  }

  private ui: ViewerUi | null = null;
  private viewer: Viewer | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private visibilityObserver: IntersectionObserver | null = null;
  private manifest: Manifest | null = null;
  private configProperty: Partial<SceneConfig> | null = null;
  private effective: SceneConfig | null = null;
  private generation = 0;
  private abort: AbortController | null = null;
  private loadedGeneration = -1;
  private scheduled = false;
  private pendingReady: Promise<void> = Promise.resolve();

  connectedCallback(): void {
    if (!this.ui) {
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      this.ui = new ViewerUi(this, root);
    }
    this.schedule();
  }

  disconnectedCallback(): void {
    // Moving the element in the DOM disconnects and reconnects in one task: wait before tearing down.
    queueMicrotask(() => {
      if (!this.isConnected) this.teardown();
    });
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue || !this.isConnected) return;
    if (name === 'data-config' || name === 'config') {
      if (this.manifest || this.hasAttribute('src')) void this.applyEffectiveConfig();
      else this.schedule();
      return;
    }
    this.schedule();
  }

  // ---- properties (for scripts and the render-mode API) ----

  get modelId(): string | null {
    return this.getAttribute('model-id');
  }
  set modelId(v: string | null) {
    if (v === null) this.removeAttribute('model-id');
    else this.setAttribute('model-id', v);
  }

  get src(): string | null {
    return this.getAttribute('src');
  }
  set src(v: string | null) {
    if (v === null) this.removeAttribute('src');
    else this.setAttribute('src', v);
  }

  get hdriUrl(): string | null {
    return this.getAttribute('hdri-url');
  }
  set hdriUrl(v: string | null) {
    if (v === null) this.removeAttribute('hdri-url');
    else this.setAttribute('hdri-url', v);
  }

  /** Direct-mode config: an object or a JSON string; merged over the defaults. */
  get config(): SceneConfig | null {
    return this.effective;
  }
  set config(v: unknown) {
    this.configProperty = typeof v === 'string' ? parseConfigJson(v, 'config') : sanitizeLayer(v, 'config');
    if (this.manifest || this.hasAttribute('src')) void this.applyEffectiveConfig();
  }

  /** The engine (for render mode and tests); null until connected. */
  get engine(): Viewer | null {
    return this.viewer;
  }

  /** Resolves when the current model, environment and first frame are done (or failed). */
  get ready(): Promise<void> {
    return this.pendingReady;
  }

  /** True once the current model's first frame is drawn (the `load` event has fired). */
  get loaded(): boolean {
    return this.loadedGeneration === this.generation && this.loadedGeneration > 0;
  }

  get base(): string {
    return normaliseBase(this.getAttribute('base-url'));
  }

  // ---- lifecycle ----

  /** Coalesces attribute changes made in one task into one load. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.isConnected) this.pendingReady = this.load();
    });
  }

  private ensureViewer(): Viewer {
    if (this.viewer) return this.viewer;
    const ui = this.ui!;
    const renderMode = this.hasAttribute('render-mode');
    const pmrem = Number(this.getAttribute('pmrem-size')) || undefined;
    this.viewer = new Viewer({ canvas: ui.canvas, renderMode, base: this.base, pmremSize: pmrem });
    this.viewer.rig.onFirstInteraction = () => ui.hidePrompt();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this);
    if (!renderMode) {
      // Off-screen viewers stop drawing: a product grid of 20 embeds must not melt a laptop.
      this.visibilityObserver = new IntersectionObserver((entries) => {
        const visible = entries.some((e) => e.isIntersecting);
        if (visible) {
          this.viewer?.rig.touch();
          this.viewer?.start();
        } else this.viewer?.stop();
      });
      this.visibilityObserver.observe(this);
    }
    this.resize();
    return this.viewer;
  }

  private resize(): void {
    if (!this.viewer) return;
    const rect = this.getBoundingClientRect();
    const renderMode = this.hasAttribute('render-mode');
    const ratio = renderMode ? 1 : Math.min(window.devicePixelRatio || 1, 2);
    this.viewer.setSize(Math.max(1, Math.round(rect.width)), Math.max(1, Math.round(rect.height)), ratio);
    if (renderMode) this.viewer.renderNow();
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const ui = this.ui!;
    const modelId = this.getAttribute('model-id');
    const src = this.getAttribute('src');
    if (!modelId && !src) return;
    const base = this.base;
    try {
      let glbUrl: string;
      if (src) {
        this.manifest = null;
        glbUrl = resolveUrl(location.href, src);
      } else {
        ui.setProgress(null);
        this.manifest = await fetchManifest(base, modelId!, abort.signal);
        if (generation !== this.generation) return;
        glbUrl = this.manifest.glb_url;
        ui.showPoster(this.getAttribute('poster') ?? this.manifest.poster_url);
      }
      const viewer = this.ensureViewer();
      const config = this.computeConfig();
      this.applyUi(config);
      const envPromise = this.loadEnvironment(config);
      const modelPromise = viewer.loadModel(glbUrl, (f) => this.progress(f), abort.signal);
      await Promise.all([envPromise, modelPromise]);
      if (generation !== this.generation) return;
      viewer.applyConfig(config);
      viewer.renderNow();
      viewer.start();
      this.markLoaded(generation);
    } catch (err) {
      if (generation !== this.generation || abort.signal.aborted) return;
      this.fail(err);
    }
  }

  /** The first frame with this model is drawn: hide the poster and tell the page. */
  private markLoaded(generation: number): void {
    if (this.loadedGeneration === generation || !this.viewer) return;
    this.loadedGeneration = generation;
    this.ui?.loaded();
    if (this.effective?.controls_enabled) this.ui?.schedulePrompt();
    this.dispatchEvent(new CustomEvent('load', { detail: { stats: this.viewer.modelStats } }));
  }

  private progress(fraction: number | null): void {
    this.ui?.setProgress(fraction);
    this.dispatchEvent(new CustomEvent('progress', { detail: { fraction } }));
  }

  private computeConfig(): SceneConfig {
    const base = this.manifest?.config ?? parseConfigJson(this.getAttribute('config'), 'config attribute');
    const override = parseConfigJson(this.getAttribute('data-config'), 'data-config');
    const config = mergeLayers(base, this.configProperty ?? {}, override);
    this.effective = config;
    return config;
  }

  private applyUi(config: SceneConfig): void {
    const ui = this.ui!;
    ui.setAspectRatio(aspectValue(config.aspect_ratio));
    ui.setOptions({
      fullscreenButton: config.ui_fullscreen_button,
      loadingBar: config.ui_loading_bar,
      interactionPrompt: config.ui_interaction_prompt && config.controls_enabled,
      bare: this.hasAttribute('render-mode'),
    });
  }

  /** HDRI: explicit hdri-url → the manifest's (if the preset wasn't overridden) → catalog lookup. */
  private async loadEnvironment(config: SceneConfig): Promise<void> {
    const viewer = this.viewer!;
    const explicit = this.getAttribute('hdri-url');
    if (explicit) return viewer.setEnvironment(resolveUrl(location.href, explicit));
    const fromManifest = this.manifest?.hdri;
    if (fromManifest && fromManifest.slug === config.hdri_preset) {
      return viewer.setEnvironment(fromManifest.file_url, fromManifest.format);
    }
    const preset = await resolveHdriPreset(this.base, config.hdri_preset);
    if (!preset) console.warn(`vitrine: HDRI preset "${config.hdri_preset}" not found; using a neutral studio`);
    return viewer.setEnvironment(preset?.file_url ?? null, preset?.format);
  }

  /** Config-only change (data-config / config edited after load): no model reload. */
  private async applyEffectiveConfig(): Promise<void> {
    if (!this.viewer) return this.schedule();
    const config = this.computeConfig();
    this.applyUi(config);
    await this.loadEnvironment(config);
    this.viewer.applyConfig(config);
    this.viewer.invalidate();
  }

  private fail(err: unknown): void {
    const status = err instanceof ManifestError ? err.status : 0;
    const code = err instanceof ManifestError ? err.code : (String((err as Error)?.message ?? err).split(':')[0] ?? 'load_failed');
    const message = err instanceof Error ? err.message : String(err);
    const text = status === 404 ? 'This model is not available.' : 'The 3D model could not be loaded.';
    this.ui?.showMessage(text);
    if (status !== 404) console.error(`vitrine: ${message}`);
    this.dispatchEvent(new CustomEvent('error', { detail: { code, message, status } }));
  }

  private teardown(): void {
    this.abort?.abort();
    this.resizeObserver?.disconnect();
    this.visibilityObserver?.disconnect();
    this.resizeObserver = null;
    this.visibilityObserver = null;
    this.viewer?.dispose();
    this.viewer = null;
    this.ui?.dispose();
    this.loadedGeneration = -1;
  }
}
