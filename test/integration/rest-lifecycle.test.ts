/**
 * Graceful shutdown over real sockets: an in-flight request finishes during stop(), new
 * connections are refused, and idle or preconnected sockets (headless Chromium opens those) do
 * not hold shutdown open until Node's headersTimeout.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { api, startTestServer } from '../helpers/test-server.js';

const hostPort = (url: string) => {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
};

describe('graceful shutdown', () => {
  it('a socket that never sends a request does not delay stop()', async () => {
    const server = await startTestServer();
    const sock = net.connect(hostPort(server.url));
    await new Promise((r) => sock.once('connect', r));
    // And a keep-alive connection left idle after a request.
    await api(`${server.url}/healthz`);
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    sock.destroy();
  });

  it('an upload in flight when stop() is called still completes with 201', async () => {
    const server = await startTestServer();
    const fx = await makeGlbFixtures();
    const glb = readFileSync(fx.files.box.path);
    const boundary = 'xxLIFECYCLExx';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.glb"\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Buffer.concat([head, glb, tail]);
    const sock = net.connect(hostPort(server.url));
    await new Promise((r) => sock.once('connect', r));
    let response = '';
    sock.on('data', (d) => (response += d));
    const ended = new Promise((r) => sock.once('end', r));
    sock.write(
      `POST /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.ownerKey}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    sock.write(body.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 100));
    const stopped = server.stop();
    let stoppedYet = false;
    void stopped.then(() => (stoppedYet = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(stoppedYet).toBe(false);
    // New connections are refused while draining.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    sock.write(body.subarray(100));
    await ended;
    expect(response).toMatch(/^HTTP\/1\.1 201/);
    await stopped;
  });
});
