/**
 * The server factory's own contracts, with stand-in operations on a real container: image content
 * next to structuredContent (the render_thumbnail hook), progress notifications only when the
 * client asked, bugs → internal_error with an incident id and no stack, the error → next-step
 * mapping, and the tool-surface parsers. Both protocol eras.
 */
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, AppError } from '../../src/core/errors.js';
import { errorResult, NEXT_STEP } from '../../src/mcp/error-result.js';
import { parseFlag, parseToolsets, selectOperations } from '../../src/mcp/tool-surface.js';
import { OPERATIONS } from '../../tools/catalogue.js';
import { defineOperation, READ, type Operation } from '../../tools/operation.js';
import { startHarness, type Harness } from './mcp-harness.js';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const picture = defineOperation({
  tool: 'vitrine_test_picture',
  title: 'Picture',
  description: 'Stand-in for vitrine_render_thumbnail: reports progress, attaches an image, returns URLs.',
  toolset: 'thumbnails',
  auth: 'required',
  rest: null,
  input: z.object({ steps: z.number().int().min(0).max(5) }),
  output: z.object({ urls: z.record(z.string(), z.string()) }),
  annotations: READ,
  async handler(ctx, input) {
    for (let i = 1; i <= input.steps; i++) ctx.progress(i, input.steps, `step ${i}`);
    ctx.attachImage?.({ data: PNG, mimeType: 'image/png' });
    return { urls: { master: 'http://x/master.png' } };
  },
});

const buggy = defineOperation({
  tool: 'vitrine_test_bug',
  title: 'Bug',
  description: 'Throws something that is not an AppError, like a bug would.',
  toolset: 'reference',
  auth: 'none',
  rest: null,
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  annotations: READ,
  async handler() {
    throw new TypeError('secret internal detail at /srv/vitrine/x.ts:12');
  },
});

const TEST_OPS = [picture, buggy] as unknown as Operation[];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe.each(['modern', 'legacy'] as const)('%s era', (era) => {
  it('returns an image content block beside the same JSON as text and structuredContent', async () => {
    const c = await h.client({ operations: TEST_OPS }, era);
    const r = (await c.callTool({ name: 'vitrine_test_picture', arguments: { steps: 0 } })) as any;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ urls: { master: 'http://x/master.png' } });
    expect(JSON.parse(r.content[0].text)).toEqual(r.structuredContent);
    expect(r.content[1]).toEqual({ type: 'image', data: PNG.toString('base64'), mimeType: 'image/png' });
  });

  it('sends progress notifications when the client passes a progress token', async () => {
    const c = await h.client({ operations: TEST_OPS }, era);
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    await c.callTool({ name: 'vitrine_test_picture', arguments: { steps: 3 } }, { onprogress: (p) => seen.push(p) });
    expect(seen).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
  });

  it('a bug is internal_error with an incident id, never the internal message', async () => {
    const c = await h.client({ operations: TEST_OPS }, era);
    const r = (await c.callTool({ name: 'vitrine_test_bug', arguments: {} })) as any;
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toMatch(/^internal_error: Something went wrong on our side \(incident [0-9a-f-]{36}\)/);
    expect(JSON.stringify(r)).not.toContain('secret internal detail');
  });

  it('input is validated with the operation schema: REST codes and field paths', async () => {
    const c = await h.client({ operations: TEST_OPS }, era);
    const r = (await c.callTool({ name: 'vitrine_test_picture', arguments: { steps: 9 } })) as any;
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toMatch(/^invalid_request: Invalid field 'steps'/);
    expect(r._meta['vitrine/error'].details.issues[0].path).toBe('steps');
  });

  it('no principal → unauthorized for tools that need one; reference tools still work', async () => {
    const c = await h.client({ principalProvider: async () => null }, era);
    const r = (await c.callTool({ name: 'vitrine_list_models', arguments: {} })) as any;
    expect(r.content[0].text).toMatch(/^unauthorized: /);
    const hdris = (await c.callTool({ name: 'vitrine_list_hdris', arguments: {} })) as any;
    expect(hdris.isError).toBeFalsy();
  });
});

describe('error mapping', () => {
  it('every error code has a next step, and the text starts with the code', () => {
    for (const code of ERROR_CODES) {
      expect(NEXT_STEP[code].length, code).toBeGreaterThan(20);
      const r = errorResult(new AppError(code, 'Something specific.'));
      expect(r.isError).toBe(true);
      expect((r.content[0] as { text: string }).text).toMatch(new RegExp(`^${code}: Something specific\\.\\n(Details: .*\\n)?Next: `));
    }
  });
});

describe('tool surface', () => {
  it('parses toolsets and flags strictly', () => {
    expect(parseToolsets(null)).toBeNull();
    expect(parseToolsets('all')).toBeNull();
    expect(parseToolsets(' Models ,scene,models')).toEqual(['models', 'scene']);
    expect(() => parseToolsets('models,modles')).toThrow(/Unknown toolset\(s\): modles/);
    expect(parseFlag('1', 'x')).toBe(true);
    expect(parseFlag(undefined, 'x')).toBe(false);
    expect(() => parseFlag('maybe', 'read_only')).toThrow(/read_only must be true or false/);
  });

  it('read-only keeps exactly the readOnlyHint tools; toolsets keep exactly their tools', () => {
    const ro = selectOperations(OPERATIONS, 'mcp-http', { toolsets: null, readOnly: true });
    expect(ro.length).toBeGreaterThan(5);
    expect(ro.every((o) => o.annotations.readOnlyHint)).toBe(true);
    expect(OPERATIONS.filter((o) => o.annotations.readOnlyHint && (!o.transports || o.transports.includes('mcp-http'))).length).toBe(ro.length);
    const looks = selectOperations(OPERATIONS, 'mcp-stdio', { toolsets: ['looks'], readOnly: false });
    expect(looks.map((o) => o.tool).sort()).toEqual(['vitrine_apply_look', 'vitrine_create_look', 'vitrine_delete_look', 'vitrine_list_looks', 'vitrine_update_look']);
  });
});
