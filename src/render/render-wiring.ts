/**
 * Builds the thumbnail renderer from the Config (used by src/container.ts): the Chromium renderer
 * when a browser binary is configured, the sharp encoder, and the signer for private GLB links.
 */
import type { Config } from '../config.js';
import type { CoreLog } from '../core/deps.js';
import { ChromiumRenderer } from './chromium-renderer.js';
import { RenderUrlSigner } from './render-url-signer.js';
import { SharpEncoder } from './sharp-encoder.js';

/**
 * Where the headless browser reaches this server: loopback on the configured port, never the
 * public URL (which may be a proxy or CDN the server cannot reach). With port 0 the real port is
 * only known after listen; the server then updates `publicBaseUrl`, which is used instead.
 */
export function renderBaseUrl(config: Pick<Config, 'host' | 'port'>, publicBaseUrl: () => string): () => string {
  return () => {
    if (!config.port) return publicBaseUrl();
    const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
    return `http://${host}:${config.port}`;
  };
}

export function createRenderParts(config: Config, publicBaseUrl: () => string, log: CoreLog) {
  const signer = new RenderUrlSigner();
  const renderer = config.render.chromePath
    ? new ChromiumRenderer({
        chromePath: config.render.chromePath,
        baseUrl: renderBaseUrl(config, publicBaseUrl),
        pages: config.render.pages,
        queueSize: config.render.queueSize,
        timeoutMs: config.render.timeoutMs,
        pmremSize: 64,
        signGlbUrl: (key, ttlMs) => signer.sign(key, ttlMs),
        log,
      })
    : null;
  return { renderer, encoder: new SharpEncoder(), signer };
}
