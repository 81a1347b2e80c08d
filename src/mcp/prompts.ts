/**
 * Prompts: reusable, user-invoked walkthroughs. `showcase_a_model` takes an agent from a GLB to an
 * embed snippet, naming only tools the client actually has (read-only clients get a note instead).
 */
import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';

const STYLES = {
  studio: 'bg_mode "color" with a light neutral bg_color, hdri_preset "studio_small_08_4k" (or the closest studio preset), shadow_catcher_enabled true, auto_rotate true',
  dramatic: 'bg_mode "color" with a near-black bg_color, a strong key light and rim light, bloom_enabled true with a modest bloom_intensity, tonemapping_mode "agx"',
  transparent: 'bg_mode "transparent" so it sits on the page background, shadow_catcher_enabled true, no bloom',
  outdoor: 'bg_mode "hdri_blurred" with an outdoor hdri_preset from vitrine_list_hdris, auto_rotate true',
} as const;

export function registerPrompts(server: McpServer, tools: ReadonlySet<string>): void {
  server.registerPrompt(
    'showcase_a_model',
    {
      title: 'Showcase a 3D model',
      description: 'Walks through upload → style → thumbnail → publish → embed for one GLB.',
      argsSchema: z.object({
        source: z.string().describe('Where the GLB is: a local file path (stdio), an https URL, or an existing model id'),
        style: z.enum(['studio', 'dramatic', 'transparent', 'outdoor']).optional().describe('Scene style to aim for (default studio)'),
      }),
    },
    ({ source, style }) => {
      const has = (t: string) => tools.has(t);
      const steps: string[] = [];
      if (has('vitrine_upload_model')) {
        steps.push(
          `Upload: if "${source}" is an existing model id (check with vitrine_model_info), use it; otherwise call vitrine_upload_model with file_path (local path, stdio only) or url (https link). Keep the returned id.`,
        );
      } else {
        steps.push(`Find the model: "${source}" should be an existing model id; check it with vitrine_model_info.`);
      }
      if (has('vitrine_set_config')) {
        steps.push(
          `Style: read vitrine://config-schema (or call vitrine_config_schema) and vitrine_list_hdris, then call vitrine_set_config with a sparse patch: ${STYLES[style ?? 'studio']}. Only send the fields you change.`,
        );
      }
      if (has('vitrine_render_thumbnail')) {
        steps.push('Check: call vitrine_render_thumbnail and look at the image; adjust with vitrine_set_config if needed. If it fails with renderer_unavailable, skip this step.');
      }
      if (has('vitrine_publish')) steps.push('Publish: call vitrine_publish with the model id.');
      if (has('vitrine_get_embed')) steps.push('Embed: call vitrine_get_embed and give the user the html snippet (and iframe_html as a fallback) plus the viewer_url.');
      if (!has('vitrine_set_config') || !has('vitrine_publish')) {
        steps.push('Note: this client is connected with a reduced tool set (read-only mode or toolsets); say which steps need the full tool set instead of trying them.');
      }
      return {
        description: 'Showcase a 3D model with vitrine',
        messages: [
          {
            role: 'user' as const,
            content: { type: 'text' as const, text: `Turn this 3D model into a published, embeddable showcase: ${source}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}` },
          },
        ],
      };
    },
  );
}
