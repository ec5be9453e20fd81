import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock/clock.js';
import { FakeClock } from './clock/fake-clock.js';
import type { Config } from './config/config-schema.js';
import { isDemoDeployment } from './config/demo-config.js';
import { ConfigError } from './config/load-config.js';
import { adminRoutes } from './http/admin-routes.js';
import { demoRoutes } from './http/demo-routes.js';
import { createHttpApp, type RegisteredRoute } from './http/http-app.js';
import { operationsRoutes } from './http/operations-routes.js';
import { publicRoutes } from './http/public-routes.js';
import { registerStatic, type StaticMount } from './http/static-files.js';
import type { LimitCounters } from './limits/limit-counters.js';
import { jsonLogger, type Logger } from './service/context.js';
import { createParleyService, type ParleyService } from './service/parley-service.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { attachSocketServer, type SocketServer } from './transport/socket-server.js';

export interface ServerOptions {
  config: Config;
  /** Business time. Default: the system clock, or a fake one in test mode. */
  clock?: Clock;
  /** Default: PostgreSQL at `config.databaseUrl` when set, else SQLite at `config.databasePath`. */
  store?: Store;
  log?: Logger;
  /** Counts behind the per-address and per-browser limits. Default: in memory (one node). */
  counters?: LimitCounters;
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
  /** The HTTP routes as registered (the OpenAPI document lists every one not hidden). */
  readonly routes: readonly RegisteredRoute[];
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
  if (options.demo && !isDemoDeployment(config)) {
    throw new ConfigError('The demo routes hand out the admin token and agent tokens: they serve only the demo deployment (its own admin token, no configured secret).');
  }
  const clock = options.clock ?? (config.testMode ? new FakeClock(Date.now()) : systemClock);
  const log = options.log ?? jsonLogger;
  const store =
    options.store ??
    (config.databaseUrl
      ? await openPostgresStore({ url: config.databaseUrl, onError: (error) => log.error('store connection lost', { error: String(error) }) })
      : openSqliteStore(config.databasePath));
  const service = await createParleyService({ config, store, clock, log, ...(options.newId ? { newId: options.newId } : {}), ...(options.counters ? { counters: options.counters } : {}) });
  let drains = 0;

  const { app, routes } = await createHttpApp({ allowedOrigins: config.allowedOrigins, failed: (error) => service.failed(error) });
  const sockets = attachSocketServer(app.server, service);
  const drain = async () => {
    drains++;
    await sockets.drain();
    // The demo has no second process to take over: it stands in for one at once.
    if (options.demo) sockets.reopen();
  };
  publicRoutes(app, service);
  adminRoutes(app, service, drain);
  operationsRoutes(app, service, {
    draining: () => sockets.draining,
    metrics: () => ({ connections: sockets.connections(), drains, draining: sockets.draining }),
    testClock: config.testMode && clock instanceof FakeClock ? clock : undefined,
  });
  if (options.demo) demoRoutes(app, service);
  await registerStatic(app, options.staticMounts ?? [], { sourceMaps: false });

  const host = config.host;
  await app.listen({ port: config.port, host });
  const { port } = app.server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    service,
    sockets,
    clock,
    routes,
    drain,
    async close() {
      service.stop();
      sockets.close();
      await app.close();
      if (!options.store) store.close();
    },
  };
}
