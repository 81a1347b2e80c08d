/**
 * Security headers and failure hygiene over real HTTP: API responses deny framing, embed pages
 * allow it, CORS lets browsers send Authorization, every response has a request id, a 500 carries
 * that id and never a stack or the error text, and the logs never contain a secret.
 */
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from '../../src/http/error-handler.js';
import { requestContext } from '../../src/http/request-context.js';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { expectError, uploadGlb } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let fx: GlbFixtures;
const logLines: string[] = [];
const u = (p: string) => `${server.url}${p}`;

function capturingLogger() {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  // Everything, unredacted: stricter than production, so a secret in any log call shows up here.
  return pino({ level: 'trace' }, sink);
}

beforeAll(async () => {
  [server, fx] = await Promise.all([startTestServer({ VITRINE_RATE_PRO_PER_MIN: '100000', VITRINE_RATE_ANON_PER_MIN: '100000' }, { log: capturingLogger() }), makeGlbFixtures()]);
});
afterAll(async () => {
  await server?.stop();
});

const deniesFraming = (h: Headers) => {
  const xfo = (h.get('x-frame-options') ?? '').toUpperCase();
  const csp = h.get('content-security-policy') ?? '';
  return xfo === 'DENY' || xfo === 'SAMEORIGIN' || /frame-ancestors\s+('none'|'self')/.test(csp);
};

describe('headers', () => {
  it('API responses (success and error) deny framing, set nosniff, a request id and CORS', async () => {
    const responses = [
      await api(u('/v1/models'), { key: server.ownerKey }),
      await api(u('/v1/models')),
      await api(u('/v1/hdris')),
      await api(u('/v1/openapi.json')),
      await api(u('/v1/nope')),
    ];
    for (const r of responses) {
      expect(deniesFraming(r.headers), `status ${r.status}`).toBe(true);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-request-id')).toBeTruthy();
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('the embed page of a published model may be framed anywhere', async () => {
    const m = await uploadGlb(server.url, server.ownerKey, fx.files.box.path);
    await api(u(`/v1/showcases/${m.json.id}`), { method: 'PATCH', key: server.ownerKey, json: { published: true } });
    const embed = await fetch(u(`/embed/${m.json.id}`));
    await embed.text();
    expect(embed.status).toBe(200);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect(embed.headers.get('content-security-policy') ?? '').not.toMatch(/frame-ancestors\s+('none'|'self')/);
  });

  it('a well-formed incoming X-Request-Id is echoed; junk is replaced', async () => {
    const echoed = await api(u('/v1/hdris'), { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc.123');
    const junk = await api(u('/v1/hdris'), { headers: { 'x-request-id': 'bad id\twith <junk>' } });
    expect(junk.headers.get('x-request-id')).not.toContain('junk');
    expect(junk.headers.get('x-request-id')).toMatch(/^[\w.-]+$/);
  });
});

describe('500s', () => {
  it('a failing repository → 500 internal_error with the request id, no stack, no error text', async () => {
    const repo = server.container.core.deps.repos.models;
    const original = repo.list;
    repo.list = async () => {
      throw new Error('SQLITE_CORRUPT: secret table detail /var/lib/vitrine');
    };
    try {
      const res = await api(u('/v1/models'), { key: server.ownerKey, headers: { 'x-request-id': 'req-500-test' } });
      expectError(res, 500, 'internal_error');
      expect(res.json.request_id).toBe('req-500-test');
      expect(res.json.message).toContain('req-500-test');
      expect(res.text).not.toContain('SQLITE_CORRUPT');
      expect(res.text).not.toContain('/var/lib');
      expect(res.text).not.toMatch(/at .+:\d+:\d+/);
      // The log has it, with the same request id, for whoever runs the server.
      const logged = logLines.filter((l) => l.includes('req-500-test') && l.includes('SQLITE_CORRUPT'));
      expect(logged.length).toBeGreaterThan(0);
    } finally {
      repo.list = original;
    }
  });

  it('the error handler alone (tiny express app): thrown errors and rejected promises → clean 500', async () => {
    const app = express();
    app.use(requestContext(pino({ level: 'silent' })));
    app.get('/sync', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    app.get('/async', async () => {
      await Promise.resolve();
      throw Object.assign(new Error('connection refused 10.0.0.5:5432'), { stack: 'Error\n    at evil (/srv/app.js:1:1)' });
    });
    app.get('/string', () => {
      throw 'a string';
    });
    app.use(notFoundHandler);
    app.use(errorHandler);
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    const base = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
    try {
      for (const p of ['/sync', '/async', '/string']) {
        const res = await api(base + p);
        expectError(res, 500, 'internal_error');
        expect(res.json.request_id).toBe(res.headers.get('x-request-id'));
        expect(res.text).not.toMatch(/TypeError|10\.0\.0\.5|\/srv\/app\.js|a string/);
      }
      expectError(await api(base + '/missing'), 404, 'not_found');
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});

describe('logs', () => {
  it('never contain API keys, anonymous tokens or JWT-looking bearer values', async () => {
    const created = await api(u('/v1/account/api-keys'), { method: 'POST', key: server.ownerKey, json: { name: 'log test' } });
    const anon = await uploadGlb(server.url, null, fx.files.box.path);
    const token = anon.json.anonymous_session.token;
    await api(u('/v1/models'), { key: token });
    await api(u('/v1/models'), { key: 'vt_live_thisisnotarealkeybutlookslikeone12' });
    await api(u('/v1/models?api_key=' + created.json.key), { key: created.json.key });
    await new Promise((r) => setTimeout(r, 50));
    const all = logLines.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [server.ownerKey, created.json.key, token, 'vt_live_thisisnotarealkeybutlookslikeone12']) {
      expect(all).not.toContain(secret);
    }
  });
});
