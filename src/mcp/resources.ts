/**
 * MCP resources: reference data an agent can read without spending a tool call on it, and one
 * template per model. Model data is owner-scoped exactly like the tools: another owner's id reads
 * as not found.
 */
import { McpServer, ProtocolError, ProtocolErrorCode, ResourceNotFoundError, ResourceTemplate, type ReadResourceResult } from '@modelcontextprotocol/server';
import { isAppError } from '../core/errors.js';
import { sceneConfigJsonSchema } from '../core/reference/config-json-schema.js';
import { listHdris } from '../../tools/reference/list-hdris.js';
import { modelInfo } from '../../tools/models/model-info.js';
import type { OperationContext } from '../../tools/operation.js';
import { errorText } from './error-result.js';
import { admit, type CreateMcpServerOptions } from './mcp-gate.js';
import { embedTemplateHtml } from './embed-template.js';

const json = (uri: string, value: unknown): ReadResourceResult => ({
  contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

const MODEL_LIST_LIMIT = 50;

export function registerResources(server: McpServer, opts: CreateMcpServerOptions): void {
  const core = opts.container.core;
  const ctxFor = (principal: OperationContext['principal']): OperationContext => ({
    core,
    principal,
    transport: opts.transport,
    staged: null,
    progress: () => {},
  });

  server.registerResource(
    'config-schema',
    'vitrine://config-schema',
    {
      title: 'Scene config JSON Schema',
      description: 'Every scene config field (background, HDRI, lights, shadows, bloom, camera, layout) with type, enum, range and default. Read before vitrine_set_config.',
      mimeType: 'application/schema+json',
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/schema+json', text: JSON.stringify(sceneConfigJsonSchema(), null, 2) }] }),
  );

  server.registerResource(
    'hdri-presets',
    'vitrine://hdri-presets',
    {
      title: 'HDRI presets',
      description: 'The HDRI environments this server has: slug (the value for hdri_preset), title, category, recommended exposure, preview URL.',
      mimeType: 'application/json',
    },
    async (uri) => json(uri.href, await listHdris.handler(ctxFor(null), {})),
  );

  server.registerResource(
    'embed-template',
    'vitrine://embed-template',
    {
      title: 'Embed snippet template',
      description: 'How the embed code from vitrine_get_embed works: the <vitrine-viewer> web component, the iframe fallback, and per-embed config overrides.',
      mimeType: 'text/html',
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/html', text: embedTemplateHtml(core.deps.settings.publicBaseUrl) }] }),
  );

  const listOwnModels = async () => {
    const principal = await admit(opts);
    if (!principal) return [];
    return (await core.models.list(principal, { limit: MODEL_LIST_LIMIT, cursor: null })).items;
  };

  server.registerResource(
    'model',
    new ResourceTemplate('vitrine://models/{id}', {
      list: async () => ({
        resources: (await listOwnModels()).map((m) => ({
          uri: `vitrine://models/${m.id}`,
          name: m.name,
          title: m.name,
          description: `${m.published ? 'Published' : 'Unpublished'} model, ${m.stats.triangles} triangles`,
          mimeType: 'application/json',
        })),
      }),
      complete: {
        id: async (value) => {
          const prefix = value.toLowerCase();
          return (await listOwnModels()).map((m) => m.id).filter((id) => id.toLowerCase().startsWith(prefix));
        },
      },
    }),
    {
      title: 'Model details',
      description: 'One of your models with its merged scene config, overrides, stats, publish state and thumbnail URLs (same JSON as vitrine_model_info).',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = String(Array.isArray(variables.id) ? variables.id[0] : variables.id);
      try {
        const principal = await admit(opts);
        return json(uri.href, await modelInfo.handler(ctxFor(principal), { model_id: id }));
      } catch (err) {
        if (isAppError(err) && err.code === 'model_not_found') throw new ResourceNotFoundError(uri.href, `model_not_found: no model ${id} in your account. Call vitrine_list_models.`);
        if (isAppError(err)) throw new ProtocolError(ProtocolErrorCode.InvalidRequest, errorText(err));
        throw err;
      }
    },
  );
}
