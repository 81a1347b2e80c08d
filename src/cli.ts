#!/usr/bin/env node
/**
 * `vitrine serve` (default) | `vitrine mcp` | `vitrine keys create [--email E] [--plan free|pro]` | `vitrine migrate`
 * Messages go to stderr; stdout carries only what a command is asked for (a key, or MCP frames).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { createContainer } from './container.js';
import { ensureOwner } from './bootstrap.js';
import { startServer } from './http/server.js';
import { PLANS, type Plan } from './core/types.js';

const USAGE = `usage:
  vitrine serve                                   run the HTTP server (REST /v1, viewer, MCP at /mcp)
  vitrine mcp                                     MCP over stdio (VITRINE_API_KEY, else the local owner)
  vitrine keys create [--email E] [--plan P]      create an account (or use the owner) and print an API key
  vitrine migrate                                 create or upgrade the database schema, then exit`;

async function serve() {
  const config = loadConfig();
  const container = await createContainer(config);
  const { newKey } = await ensureOwner(container.core);
  const { mountMcpHttp } = await import('./mcp/http-transport.js').catch(() => ({ mountMcpHttp: undefined }));
  const app = container.app(mountMcpHttp ? (a) => mountMcpHttp(a, container) : undefined);
  const running = await startServer(container, app, config.port, config.host);
  container.log.info({ url: running.url, data_dir: config.dataDir }, 'vitrine is listening');
  if (newKey) {
    process.stderr.write(`\nFirst start: created the owner account. Its API key (shown once):\n\n  ${newKey}\n\nTry: curl ${running.url}/v1/models -H "Authorization: Bearer ${newKey}"\n\n`);
  }
  const shutdown = (signal: string) => {
    container.log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function mcp() {
  const { runStdio } = await import('./mcp/stdio.js');
  await runStdio(loadConfig());
}

async function keysCreate(args: string[]) {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, plan: { type: 'string' }, name: { type: 'string' } } });
  const plan = (values.plan ?? 'free') as Plan;
  if (!PLANS.includes(plan) || plan === 'anonymous') throw new Error(`--plan must be free or pro`);
  const container = await createContainer(loadConfig());
  try {
    const { owner } = await ensureOwner(container.core);
    const account = values.email ? await container.core.accounts.createAccount({ email: values.email, plan }) : owner;
    const { secret } = await container.core.accounts.issueApiKey(account.id, values.name ?? 'cli');
    process.stderr.write(`API key for account ${account.id} (${account.plan}); shown once:\n`);
    process.stdout.write(`${secret}\n`);
  } finally {
    await container.close();
  }
}

async function migrate() {
  const container = await createContainer(loadConfig());
  await container.close();
  process.stderr.write('database is up to date\n');
}

async function main(argv: string[]) {
  const [command = 'serve', ...rest] = argv;
  if (command === 'serve') return serve();
  if (command === 'mcp') return mcp();
  if (command === 'migrate') return migrate();
  if (command === 'keys' && rest[0] === 'create') return keysCreate(rest.slice(1));
  process.stderr.write(`${USAGE}\n`);
  process.exit(command === 'help' || command === '--help' ? 0 : 2);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`vitrine: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
