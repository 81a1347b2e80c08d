import * as z from 'zod';
import { sceneConfigJsonSchema } from '../../src/core/reference/config-json-schema.js';
import { defineOperation, READ } from '../operation.js';

export const configSchema = defineOperation({
  tool: 'vitrine_config_schema',
  title: 'Scene config schema',
  description:
    'Returns the JSON Schema of the scene config: every field with its type, enum values, range, default and meaning. ' +
    'Read it once before vitrine_set_config or vitrine_create_look.',
  toolset: 'reference',
  auth: 'none',
  rest: { method: 'GET', path: '/v1/config-schema' },
  input: z.object({}),
  output: z.looseObject({ $schema: z.string(), type: z.literal('object'), properties: z.record(z.string(), z.unknown()) }),
  annotations: READ,
  async handler() {
    return sceneConfigJsonSchema() as { $schema: string; type: 'object'; properties: Record<string, unknown> };
  },
});
