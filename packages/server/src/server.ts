import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock/clock.js';
import { FakeClock } from './clock/fake-clock.js';
import type { Config } from './config/config-schema.js';
import { demoRoutes } from './http/demo-routes.js';
import { createHttpApi } from './http/http-api.js';
import { sendJson } from './http/http-io.js';
import { serveStatic, type StaticMount } from './http/static-files.js';
import { jsonLogger, type Logger } from './service/context.js';
import { createParleyService, type ParleyService } from './service/parley-service.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { attachSocketServer, type SocketServer } from './transport/socket-server.js';

export interface ServerOptions {
  config: Config;
  /** Business time. Default: the system clock, or a fake one in test mode. */
  clock?: Clock;
  /** Default: SQLite at `config.databasePath`. */
  store?: Store;
  log?: Logger;
  newId?: () => string;
  /** Folders served over plain HTTP (the demo and the script-tag bundles). */
  staticMounts?: readonly StaticMount[];
  /** The demo's one-click sign-in routes (/demo/…). Never in production. */
  demo?: boolean;
}

export interface RunningServer {
  /** The base URL, with the port actually bound (useful with port 0). */
  readonly url: string;
  readonly service: ParleyService;
  readonly sockets: SocketServer;
  readonly clock: Clock;
  /** M3: tells every client to reconnect (1012), stops taking new ones; resolves when all were told. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the reference service: HTTP and WebSocket on one port.
 *
 * @example
 * const server = await startServer({ config: loadConfig({ file: 'parley.json', env: process.env }) });
 * console.log(`listening on ${server.url}`);
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const clock = options.clock ?? (config.testMode ? new FakeClock(Date.now()) : systemClock);
  const store = options.store ?? openSqliteStore(config.databasePath);
  const log = options.log ?? jsonLogger;
  const service = await createParleyService({ config, store, clock, log, ...(options.newId ? { newId: options.newId } : {}) });
  const mounts = options.staticMounts ?? [];
  let drains = 0;

  const http: Server = createServer();
  const sockets = attachSocketServer(http, service);
  const drain = async () => {
    drains++;
    await sockets.drain();
    // The demo has no second process to take over: it stands in for one at once.
    if (options.demo) sockets.reopen();
  };
  const api = createHttpApi({
    service,
    drain,
    metrics: () => ({ connections: sockets.connections(), drains, draining: sockets.draining }),
    testClock: config.testMode && clock instanceof FakeClock ? clock : undefined,
  });

  const demo = options.demo ? demoRoutes(service) : () => false;
  http.on('request', (request, response) => {
    const respond = async () => {
      if (request.url === '/healthz') return sendJson(response, 200, { ok: true, draining: sockets.draining });
      if (await api(request, response)) return;
      if (demo(request, response)) return;
      if (await serveStatic(request, response, mounts)) return;
      sendJson(response, 404, { error: { code: 'not_found', message: 'No such resource.' } });
    };
    respond().catch((error: unknown) => {
      log.error('request failed', { error: String(error) });
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
      else response.end();
    });
  });
  http.on('clientError', (_error, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));

  const host = config.host;
  await new Promise<void>((resolve) => http.listen(config.port, host, resolve));
  const { port } = http.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    service,
    sockets,
    clock,
    drain,
    async close() {
      service.stop();
      sockets.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Browsers keep idle HTTP connections open; without this, close() waits for them to time out.
      http.closeAllConnections();
      await closed;
      if (!options.store) store.close();
    },
  };
}
