/** OpenAPI 3.1, generated from the operation catalogue's zod schemas: nothing written twice. */
import * as z from 'zod';
import type { Operation } from '../../tools/operation.js';
import { ERROR_CODES } from '../core/errors.js';

const ErrorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', enum: [...ERROR_CODES] },
    message: { type: 'string' },
    details: { type: 'object' },
    request_id: { type: 'string' },
  },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export function buildOpenApi(ops: readonly Operation[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    if (!op.rest) continue;
    const path = op.rest.path.replace(/:(\w+)/g, '{$1}');
    const pathParams = [...op.rest.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const inputSchema = jsonSchema(op.input, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    const props = { ...(inputSchema.properties ?? {}) };
    const parameters: unknown[] = pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    for (const p of pathParams) delete props[p];
    let requestBody: unknown;
    const hasQuery = op.rest.method === 'GET' || op.rest.method === 'DELETE';
    if (hasQuery) {
      for (const [name, schema] of Object.entries(props)) {
        parameters.push({ name, in: 'query', required: inputSchema.required?.includes(name) ?? false, schema });
      }
    } else if (op.rest.bodyField) {
      requestBody = { required: true, content: { 'application/json': { schema: props[op.rest.bodyField] } } };
    } else if (Object.keys(props).length) {
      const body = { type: 'object', properties: props, required: (inputSchema.required ?? []).filter((r) => !pathParams.includes(r)) };
      requestBody = {
        content: {
          'application/json': { schema: body },
          ...(op.rest.multipartFile
            ? { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' } } } } }
            : {}),
        },
      };
    }
    const status = String(op.rest.status ?? 200);
    paths[path] ??= {};
    paths[path]![op.rest.method.toLowerCase()] = {
      operationId: op.tool,
      summary: op.title,
      description: op.description,
      tags: [op.toolset],
      ...(op.auth === 'none' ? { security: [] } : {}),
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [status]: { description: op.title, content: { 'application/json': { schema: jsonSchema(op.output, 'output') } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  paths['/v1/uploads/{upload_id}'] = {
    put: {
      operationId: 'put_upload_bytes',
      summary: 'Send the bytes of a direct upload',
      tags: ['models'],
      parameters: [{ name: 'upload_id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
      responses: { '200': { description: 'Received' }, default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'vitrine API', version: '1.0.0', description: 'Upload GLB models, style their scenes, publish and embed them.' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: ErrorBody } },
    paths,
  };
}
