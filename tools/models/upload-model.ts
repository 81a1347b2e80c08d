import * as z from 'zod';
import { AppError } from '../../src/core/errors.js';
import type { ByteSource } from '../../src/core/ports/staging.js';
import { CREATE, defineOperation, me, type OperationContext } from '../operation.js';
import { presentModelDetails } from '../presenters.js';
import { ModelDetailsOut } from '../schemas.js';

const Input = z.object({
  name: z.string().max(200).optional().describe('Display name, e.g. "Running Shoe" (default: from the file name)'),
  file_path: z.string().max(4096).optional().describe('Absolute path of a .glb on this machine (stdio only)'),
  url: z.url().max(2048).optional().describe('Public http(s) URL of a .glb to fetch'),
  content_base64: z.string().optional().describe('The .glb bytes as base64, for small files only (a few MB)'),
  upload_id: z.string().max(64).optional().describe('Id from vitrine_create_upload after the bytes were PUT to upload_url'),
  filename: z.string().max(255).optional().describe('Original file name, used for the default name'),
});

function sourceOf(ctx: OperationContext, input: z.output<typeof Input>): ByteSource {
  const given = [ctx.staged && 'file', input.file_path && 'file_path', input.url && 'url', input.content_base64 && 'content_base64', input.upload_id && 'upload_id'].filter(Boolean);
  if (given.length !== 1) {
    throw new AppError('invalid_request', given.length === 0
      ? (ctx.transport === 'rest'
        ? "Send the GLB as multipart field 'file' (curl -F file=@model.glb), or JSON {\"upload_id\": …} after the upload flow."
        : 'Give exactly one of file_path (stdio), url, content_base64 or upload_id.')
      : `Give exactly one file source; got ${given.join(', ')}.`);
  }
  if (ctx.staged) return { kind: 'staged', file: ctx.staged };
  if (input.file_path) {
    if (ctx.transport !== 'mcp-stdio') throw new AppError('invalid_request', 'file_path works only over stdio (the file must be on the server machine). Use url, content_base64 or the upload flow (vitrine_create_upload).');
    return { kind: 'local_path', path: input.file_path };
  }
  if (input.url) return { kind: 'url', url: input.url };
  if (input.content_base64) return { kind: 'base64', data: input.content_base64 };
  return { kind: 'upload', uploadId: input.upload_id! };
}

export const uploadModel = defineOperation({
  tool: 'vitrine_upload_model',
  title: 'Upload a GLB model',
  description:
    'Uploads a binary glTF (.glb) model and returns it with its id, geometry stats and merged scene config. ' +
    'Give exactly one source: file_path (local agents over stdio), url (a public http/https link), content_base64 (small files), ' +
    'or upload_id (big files: call vitrine_create_upload, PUT the bytes to upload_url, then call this). ' +
    'The file is validated (self-contained GLB 2.0, no external URIs). Next: vitrine_set_config to style it, vitrine_publish, vitrine_get_embed.',
  toolset: 'models',
  auth: 'anonymous_ok',
  rest: { method: 'POST', path: '/v1/models', status: 201, multipartFile: true },
  input: Input,
  output: ModelDetailsOut,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(ctx, input) {
    const source = sourceOf(ctx, input);
    const filename = input.filename ?? (input.file_path ? input.file_path.split(/[\\/]/).pop() : input.url ? new URL(input.url).pathname.split('/').pop() : null);
    const details = await ctx.core.models.create(me(ctx), { name: input.name ?? null, filename: filename ?? null, source });
    return presentModelDetails(ctx, details);
  },
});
