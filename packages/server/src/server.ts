import { randomUUID } from 'node:crypto';
import { createRedisEventBus } from './bus/redis-event-bus.js';
import { systemClock, type Clock } from './clock/clock.js';
import { FakeClock } from './clock/fake-clock.js';
import { openTestClock, TestClockControl } from './clock/shared-test-clock.js';
import type { Config } from './config/config-schema.js';
import { isDemoDeployment } from './config/demo-config.js';
import { ConfigError } from './config/load-config.js';
import { attachmentRoutes } from './http/attachment-routes.js';
import { leftMessageRoutes } from './http/left-message-routes.js';
import { privacyRoutes } from './http/privacy-routes.js';
import { ratingRoutes } from './http/rating-routes.js';
import { webhookRoutes } from './http/webhook-routes.js';
import { adminRoutes } from './http/admin-routes.js';
import { demoRoutes } from './http/demo-routes.js';
import { createHttpApp, type RegisteredRoute } from './http/http-app.js';
import { listen } from './http/listener.js';
import { operationsRoutes } from './http/operations-routes.js';
import { publicRoutes } from './http/public-routes.js';
import { registerStatic, type StaticMount } from './http/static-files.js';
import type { LimitCounters } from './limits/limit-counters.js';
import { serveMetrics } from './metrics/metrics-listener.js';
import { Metrics } from './metrics/metrics.js';
import { createLogger, type Logger } from './service/logger.js';
import { createParleyService, type ParleyService } from './service/parley-service.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';
import { OriginPolicy } from './transport/origins.js';
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
  /** Called once the port is bound, before the service has started (health checks answer 503 until then). */
  onListening?: (url: string) => void;
}

export interface RunningServer {
  /** The base URL, with the port actually bound (useful with port 0). */
  readonly url: string;
  /** Where /metrics is served when `metrics.port` is set (otherwise on `url`, behind the admin token). */
  readonly metricsUrl: string | undefined;
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
  const log = options.log ?? createLogger({ level: config.log.level });
  // Listening comes first, so health checks see the node starting (503) rather than a refused connection.
  const listener = await listen({ host: config.host, port: config.port, limits: config.http });
  options.onListening?.(listener.url);
  const store =
    options.store ??
    (config.databaseUrl
      ? await openPostgresStore({ url: config.databaseUrl, onError: (error) => log.error({ err: error }, 'store connection lost') })
      : openSqliteStore(config.databasePath, { attachmentFolder: config.attachments.folder }));
  // Several nodes: each has an id on the bus; in test mode they share one business time.
  const bus = config.busUrl ? await createRedisEventBus({ url: config.busUrl, prefix: config.busPrefix, nodeId: randomUUID(), log }) : undefined;
  const clock = options.clock ?? (config.testMode ? await openTestClock(store, bus !== undefined) : systemClock);
  const metrics = new Metrics();
  const origins = new OriginPolicy({ allowedOrigins: config.allowedOrigins, publicUrl: config.publicUrl, listeningUrl: listener.url });
  const service = await createParleyService({ config, store, clock, log, metrics, origins, ...(options.newId ? { newId: options.newId } : {}), ...(options.counters ? { counters: options.counters } : {}), ...(bus ? { bus } : {}) });
  const testClock = config.testMode && clock instanceof FakeClock ? new TestClockControl(clock, service.context) : undefined;
  if (testClock) service.context.bus.subscribe((event) => testClock.observe(event));
  // The store is the truth: events published while the bus was away are read from it.
  if (bus) bus.onResubscribed = () => void service.resync().catch((error: unknown) => service.failed(error));

  const { app, routes, handler } = await createHttpApp({ server: listener.server, origins, log, failed: (error) => service.failed(error) });
  const sockets = attachSocketServer(listener.server, service);
  metrics.observe({ connections: () => sockets.connections(), sessionsByState: () => service.context.store.countSessionsByState() });
  const drain = async () => {
    metrics.drains.inc();
    await sockets.drain();
    // The demo on one node has no second process to take over: it stands in for one at once.
    if (options.demo && !bus) sockets.reopen();
  };
  const metricsListener = config.metrics.port === undefined ? undefined : await serveMetrics(metrics, { host: config.metrics.host, port: config.metrics.port });
  publicRoutes(app, service);
  adminRoutes(app, service, drain);
  leftMessageRoutes(app, service);
  privacyRoutes(app, service);
  ratingRoutes(app, service);
  webhookRoutes(app, service);
  attachmentRoutes(app, service);
  operationsRoutes(app, service, {
    draining: () => sockets.draining,
    metrics: metricsListener ? undefined : metrics,
    testClock,
  });
  if (options.demo) demoRoutes(app, service);
  await registerStatic(app, options.staticMounts ?? [], { sourceMaps: config.http.serveSourceMaps });
  await app.ready();
  listener.serve(handler);

  return {
    url: listener.url,
    metricsUrl: metricsListener?.url,
    service,
    sockets,
    clock,
    routes,
    drain,
    async close() {
      service.stop();
      sockets.close();
      await app.close();
      await listener.close();
      await metricsListener?.close();
      await bus?.close();
      if (!options.store) store.close();
    },
  };
}
