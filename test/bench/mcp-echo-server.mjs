// Baseline for test/bench/mcp-bench.ts: the smallest useful server on the same MCP SDK — one
// trivial echo tool — over stdio (`node mcp-echo-server.mjs stdio`) or exported for HTTP.
import * as z from 'zod';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

export function createEchoServer() {
  const server = new McpServer({ name: 'echo', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'echo',
    { title: 'Echo', description: 'Returns its input.', inputSchema: z.object({ text: z.string() }), outputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ structuredContent: { text }, content: [{ type: 'text', text: JSON.stringify({ text }) }] }),
  );
  return server;
}

if (process.argv[2] === 'stdio') serveStdio(() => createEchoServer());
