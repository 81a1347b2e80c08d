/** The server's identity and the short workflow an agent gets at connect time. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.js';

export const SERVER_NAME = 'vitrine';

export const SERVER_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export const SERVER_INSTRUCTIONS = [
  'vitrine turns GLB 3D models into embeddable web showcases. Usual workflow:',
  '1. vitrine_upload_model (file_path over stdio, url, small content_base64, or vitrine_create_upload for big files) → returns the model id.',
  '2. vitrine_set_config with a sparse patch to style the scene (background, hdri_preset from vitrine_list_hdris, lights, bloom, shadows, camera); or vitrine_apply_look to reuse a saved look. Field reference: resource vitrine://config-schema.',
  '3. vitrine_render_thumbnail to look at the result (needs Chromium on the server; skip it if renderer_unavailable).',
  '4. vitrine_publish, then vitrine_get_embed for the HTML snippet to paste into a page (see resource vitrine://embed-template).',
  'Ids come from vitrine_list_models. Errors start with a code (model_not_found, invalid_config, rate_limited…) followed by what to do next.',
  'The prompt showcase_a_model walks through all of it.',
].join('\n');
