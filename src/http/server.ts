/**
 * Runs the app on a port with periodic housekeeping and a graceful shutdown: on SIGTERM the
 * server stops accepting, in-flight requests finish, then storage closes.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Container } from '../container.js';

export interface RunningServer {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;
/** Longer than the idle timeout below, so only files of dead processes qualify. */
const STALE_STAGING_MS = 30 * 60_000;

export async function startServer(container: Container, app: Express, port: number, host: string): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  // Uploads can be slow, so no total request timeout; but a connection that sends nothing for
  // two minutes (a stalled body, a client that went away) is closed, so it can't pin a temp file
  // and a parser forever. Renders are bounded well below this by VITRINE_RENDER_TIMEOUT_MS.
  server.requestTimeout = 0;
  server.timeout = 120_000;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  if (container.config.publicUrlFromListen) container.core.deps.settings.publicBaseUrl = url;

  const sweep = async () => {
    try {
      await container.core.sweeper.sweep();
      await container.core.uploads.sweepExpired();
      await container.core.deps.staging.sweepStale(STALE_STAGING_MS);
    } catch (err) {
      container.log.warn({ err: String(err) }, 'housekeeping failed');
    }
  };
  void sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();

  // In-flight requests, so shutdown can wait for them and then drop every remaining socket:
  // server.close() alone also waits for keep-alive and preconnected sockets that never send a
  // request (headless Chromium opens those), which only time out after headersTimeout.
  let inFlight = 0;
  let draining = false;
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (draining && inFlight === 0) server.closeAllConnections();
    });
  });

  let stopping: Promise<void> | null = null;
  return {
    server,
    url,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          draining = true;
          if (inFlight === 0) server.closeAllConnections();
          else server.closeIdleConnections();
        });
        await container.close();
      })();
      return stopping;
    },
  };
}
