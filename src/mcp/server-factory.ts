/**
 * One MCP server built from the operation catalogue, for every transport and both protocol eras.
 * Each operation becomes a tool; the call goes through the same steps as a REST request
 * (credentials → one rate-limit consume from the principal's bucket → input validation with the
 * operation's own schema → the handler) and core errors become `isError` results.
 */
import { McpServer, type CallToolResult, type ServerContext, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type * as z from 'zod';
import { AppError } from '../core/errors.js';
import { parseInput } from '../http/mount-operations.js';
import { OPERATIONS } from '../../tools/catalogue.js';
import type { Operation, OperationContext } from '../../tools/operation.js';
import { errorResult } from './error-result.js';
import { SERVER_INSTRUCTIONS, SERVER_NAME, SERVER_VERSION } from './instructions.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { admit, type CreateMcpServerOptions } from './mcp-gate.js';
import { FULL_SURFACE, selectOperations } from './tool-surface.js';

export type { CreateMcpServerOptions, McpContainer, PrincipalProvider } from './mcp-gate.js';

/** Largest image returned inline; bigger ones are left to the URLs in structuredContent. */
const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;

export function createMcpServer(opts: CreateMcpServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'vitrine 3D showcases', version: SERVER_VERSION },
    {
      instructions: SERVER_INSTRUCTIONS,
      // listChanged: false — nothing is pushed: the model resources do change, but clients re-list.
      capabilities: { tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false }, logging: {} },
    },
  );
  const ops = selectOperations(opts.operations ?? OPERATIONS, opts.transport, opts.surface ?? FULL_SURFACE);
  for (const op of ops) registerOperation(server, op, opts);
  registerResources(server, opts);
  registerPrompts(server, new Set(ops.map((o) => o.tool)));
  return server;
}

function registerOperation(server: McpServer, op: Operation, opts: CreateMcpServerOptions): void {
  server.registerTool(
    op.tool,
    {
      title: op.title,
      description: op.description,
      inputSchema: validatedInHandler(op.input),
      outputSchema: op.output,
      annotations: { title: op.title, ...op.annotations },
    },
    async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
      try {
        const principal = await admit(opts);
        // Validate here rather than in the SDK so bad input gets the same codes and field paths as REST.
        const input = parseInput(op.input, args ?? {});
        if (!principal && (op.auth === 'required' || op.auth === 'anonymous_ok')) {
          throw new AppError('unauthorized', 'This tool needs an account: set VITRINE_API_KEY, or run the stdio server against a data dir with a local owner.');
        }
        const images: CallToolResult['content'] = [];
        const output = await op.handler(
          {
            core: opts.container.core,
            principal,
            transport: opts.transport,
            staged: null,
            signal: ctx.mcpReq.signal,
            progress: progressReporter(ctx),
            session: opts.session,
            attachImage: ({ data, mimeType }) => {
              if (data.byteLength <= MAX_INLINE_IMAGE_BYTES) images.push({ type: 'image', data: data.toString('base64'), mimeType });
            },
          },
          input,
        );
        return {
          structuredContent: output as Record<string, unknown>,
          content: [{ type: 'text', text: JSON.stringify(output) }, ...images],
        };
      } catch (err) {
        return errorResult(err, {
          onBug: (e, incidentId) => opts.container.log.error({ err: e, incident_id: incidentId, tool: op.tool, transport: opts.transport }, 'MCP tool failed'),
        });
      }
    },
  );
}

/**
 * Advertises the operation's JSON Schema but lets every argument through to the handler, which
 * validates with the same zod schema via parseInput: the agent then gets `invalid_request` /
 * `invalid_config` naming the field, exactly as a REST caller would, instead of the SDK's
 * generic message.
 */
function validatedInHandler(schema: z.ZodObject): StandardSchemaWithJSON {
  const std = schema['~standard'];
  return {
    '~standard': {
      version: 1,
      vendor: 'vitrine',
      validate: (value: unknown) => ({ value }),
      jsonSchema: std.jsonSchema,
    },
  } as StandardSchemaWithJSON;
}

/** ctx.progress → `notifications/progress`, only when the client asked (sent a progressToken). */
function progressReporter(ctx: ServerContext): OperationContext['progress'] {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return () => {};
  return (progress, total, message) => {
    ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } }).catch(() => {});
  };
}
