/**
 * Real MCP clients for the integration tests, behind one small interface: the v2 client
 * (`@modelcontextprotocol/client`, modern era negotiated with `server/discover`) and the v1 client
 * (`@modelcontextprotocol/sdk`, the 2025 `initialize` handshake most deployed hosts still speak),
 * each over stdio (the built CLI as a subprocess) or Streamable HTTP (a real port).
 */
import path from 'node:path';
import { Client as V2Client, StreamableHTTPClientTransport as V2Http } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2Stdio } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1Stdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1Http } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { projectRoot } from '../../src/config.js';

export type ClientKind = 'v2' | 'v1';

export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string; data?: string; mimeType?: string }>;
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export interface McpTestClient {
  kind: ClientKind;
  protocolVersion: string | undefined;
  instructions: string | undefined;
  listTools(): Promise<Array<{ name: string; title?: string; description?: string; inputSchema: unknown; outputSchema?: unknown; annotations?: Record<string, unknown> }>>;
  call(name: string, args?: Record<string, unknown>, opts?: { onprogress?: (p: { progress: number; total?: number; message?: string }) => void }): Promise<ToolResult>;
  readResource(uri: string): Promise<{ contents: Array<{ uri: string; text?: string; mimeType?: string }> }>;
  listResources(): Promise<{ resources: Array<{ uri: string; name: string }> }>;
  listResourceTemplates(): Promise<{ resourceTemplates: Array<{ uriTemplate: string }> }>;
  complete(uriTemplate: string, argument: string, value: string): Promise<string[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<{ messages: Array<{ role: string; content: { type: string; text?: string } }> }>;
  listPrompts(): Promise<{ prompts: Array<{ name: string }> }>;
  close(): Promise<void>;
}

export const CLI_PATH = path.join(projectRoot(), 'dist', 'src', 'cli.js');

export interface StdioTarget {
  kind: 'stdio';
  env: Record<string, string>;
}
export interface HttpTarget {
  kind: 'http';
  url: string;
  headers?: Record<string, string>;
}

/** The parent's PATH etc. plus the test's settings; logs quiet so stderr stays readable. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) base[k] = process.env[k]!;
  return { ...base, VITRINE_LOG_LEVEL: 'warn', VITRINE_THUMBNAILS_ON_UPLOAD: 'false', ...env };
}

export async function connect(kind: ClientKind, target: StdioTarget | HttpTarget): Promise<McpTestClient> {
  const info = { name: `vitrine-test-${kind}`, version: '1.0.0' };
  if (kind === 'v2') {
    const client = new V2Client(info, { versionNegotiation: { mode: 'auto' } });
    const transport =
      target.kind === 'stdio'
        ? new V2Stdio({ command: process.execPath, args: [CLI_PATH, 'mcp'], env: childEnv(target.env), stderr: 'inherit' })
        : new V2Http(new URL(target.url), { requestInit: { headers: target.headers ?? {} } });
    await client.connect(transport);
    return wrap('v2', client as unknown as AnyClient, client.getNegotiatedProtocolVersion(), client.getInstructions());
  }
  const client = new V1Client(info, { capabilities: {} });
  const transport =
    target.kind === 'stdio'
      ? new V1Stdio({ command: process.execPath, args: [CLI_PATH, 'mcp'], env: childEnv(target.env), stderr: 'inherit' })
      : new V1Http(new URL(target.url), { requestInit: { headers: target.headers ?? {} } });
  await client.connect(transport);
  return wrap('v1', client as unknown as AnyClient, (transport as { protocolVersion?: string }).protocolVersion, client.getInstructions());
}

/** The methods both SDK clients share, loosely typed so one wrapper serves both. */
interface AnyClient {
  listTools(params?: unknown): Promise<{ tools: any[]; nextCursor?: string }>;
  callTool(params: unknown, resultSchema?: unknown, options?: unknown): Promise<any>;
  readResource(params: unknown): Promise<any>;
  listResources(params?: unknown): Promise<any>;
  listResourceTemplates(params?: unknown): Promise<any>;
  complete(params: unknown): Promise<any>;
  getPrompt(params: unknown): Promise<any>;
  listPrompts(params?: unknown): Promise<any>;
  close(): Promise<void>;
}

function wrap(kind: ClientKind, c: AnyClient, protocolVersion: string | undefined, instructions: string | undefined): McpTestClient {
  return {
    kind,
    protocolVersion,
    instructions,
    async listTools() {
      const tools: any[] = [];
      let cursor: string | undefined;
      do {
        const page = await c.listTools(cursor ? { cursor } : undefined);
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    },
    async call(name, args = {}, opts = {}) {
      const params = { name, arguments: args };
      const options = opts.onprogress ? { onprogress: opts.onprogress, timeout: 60_000 } : { timeout: 60_000 };
      // v1 takes (params, resultSchema?, options); v2 takes (params, options).
      return kind === 'v1' ? c.callTool(params, undefined, options) : c.callTool(params, options);
    },
    readResource: (uri) => c.readResource({ uri }),
    listResources: () => c.listResources(),
    listResourceTemplates: () => c.listResourceTemplates(),
    async complete(uriTemplate, argument, value) {
      const r = await c.complete({ ref: { type: 'ref/resource', uri: uriTemplate }, argument: { name: argument, value } });
      return r.completion.values;
    },
    getPrompt: (name, args) => c.getPrompt({ name, arguments: args }),
    listPrompts: () => c.listPrompts(),
    close: () => c.close(),
  };
}

/** The JSON text block must be exactly the structured content (the contract of every tool). */
export function structured<T = any>(r: ToolResult): T {
  if (r.isError) throw new Error(`tool failed: ${r.content.map((c) => c.text).join(' ')}`);
  const text = r.content.find((c) => c.type === 'text')?.text;
  if (JSON.stringify(JSON.parse(text ?? 'null')) !== JSON.stringify(r.structuredContent)) {
    throw new Error('text content differs from structuredContent');
  }
  return r.structuredContent as T;
}

/** The error text of an isError result (starts with the error code). */
export function errorOf(r: ToolResult): string {
  if (!r.isError) throw new Error(`expected an error, got ${JSON.stringify(r.structuredContent).slice(0, 200)}`);
  return r.content.map((c) => c.text ?? '').join('\n');
}
