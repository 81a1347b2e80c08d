/** The vitrine://embed-template resource: what the snippet from vitrine_get_embed looks like and how to adapt it. */
import { escapeHtml } from './html.js';

export function embedTemplateHtml(publicBaseUrl: string): string {
  const base = escapeHtml(publicBaseUrl);
  return `<!--
  vitrine embed template. Get the real snippet for a model with vitrine_get_embed (the model must be
  published first with vitrine_publish); it returns exactly this shape with MODEL_ID filled in and the
  box sized by the model's layout aspect ratio.
-->

<!-- 1. Web component (preferred): one script tag per page, any number of viewers. -->
<script type="module" src="${base}/vitrine.js"></script>
<vitrine-viewer model-id="MODEL_ID" style="display:block;width:100%;aspect-ratio:16/9"></vitrine-viewer>

<!-- Optional per-embed overrides: data-config takes any scene config fields (see vitrine://config-schema)
     and wins over the model's saved config, for this embed only. -->
<vitrine-viewer model-id="MODEL_ID" data-config='{"bg_mode":"transparent","auto_rotate":true}'></vitrine-viewer>

<!-- 2. Iframe (for sites that strip scripts, e.g. some CMS editors). -->
<iframe src="${base}/embed/MODEL_ID" title="3D model" loading="lazy" allow="fullscreen"
        style="width:100%;aspect-ratio:16/9;border:0"></iframe>

<!-- Notes: the viewer loads everything from this server (no CDN). Unpublishing the model
     (vitrine_publish with published:false) takes every embed offline at once. -->
`;
}
