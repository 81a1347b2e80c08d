/**
 * Entry point of the vitrine.js bundle (a classic script: `<script src=".../vitrine.js">`).
 * Defines <vitrine-viewer> once and exposes the render-mode API as `window.vitrine`.
 */
import './script-base.js';
import { VitrineViewerElement } from './element.js';
import { createRenderApi, type VitrineRenderApi } from './render-mode.js';

declare global {
  interface Window {
    vitrine?: VitrineRenderApi;
  }
  interface HTMLElementTagNameMap {
    'vitrine-viewer': VitrineViewerElement;
  }
}

// A page may include the script twice (CMS blocks); the second copy must not throw.
if (!customElements.get('vitrine-viewer')) customElements.define('vitrine-viewer', VitrineViewerElement);
if (!window.vitrine) window.vitrine = createRenderApi();
