import type { FastifyInstance } from 'fastify';
import type { TestClockControl } from '../clock/shared-test-clock.js';
import type { ParleyService } from '../service/parley-service.js';
import { adminGuard } from './admin-routes.js';
import type { Metrics } from '../metrics/metrics.js';
import { ClockAnswer, ClockBody, ErrorAnswer, HealthAnswer, ReadyAnswer } from './bodies.js';
import { route } from './route.js';

export interface OperationsOptions {
  draining: () => boolean;
  /** Served at /metrics behind the admin token; undefined when metrics have an address of their own. */
  metrics: Metrics | undefined;
  /** Present only in test mode: the clock the test-only control moves (every node's, when they share a bus). */
  testClock?: TestClockControl | undefined;
}

/** Health and readiness, metrics, the WebSocket's address, and the test-mode clock. */
export function operationsRoutes(app: FastifyInstance, service: ParleyService, options: OperationsOptions): void {
  route(app, {
    method: 'GET',
    url: '/healthz',
    tag: 'operations',
    summary: 'Whether this node should take traffic (for load balancers): 503 while starting, draining, or when the store cannot be reached.',
    answers: { 200: HealthAnswer, 503: HealthAnswer },
    async handler({ reply }) {
      const draining = options.draining();
      const store = await storeReachable(service);
      const ok = !draining && store;
      reply.code(ok ? 200 : 503);
      if (!ok) reply.header('retry-after', '1');
      return { ok, starting: false, draining, store: store ? 'ok' : 'unreachable' };
    },
  });
  route(app, {
    method: 'GET',
    url: '/readyz',
    tag: 'operations',
    summary: 'Whether this node has finished starting (store open, state restored): 503 before, 200 after, whatever else happens.',
    answers: { 200: ReadyAnswer, 503: ReadyAnswer },
    handler: async () => ({ ready: true }),
  });
  const { metrics } = options;
  if (metrics) {
    route(app, {
      method: 'GET',
      url: '/metrics',
      tag: 'operations',
      summary: 'Prometheus metrics (text format 0.0.4), behind the admin token unless served on an address of their own (metrics.port).',
      security: 'adminToken',
      guard: adminGuard(service),
      answers: { 200: { mediaType: 'text/plain', description: 'Prometheus text exposition format.' }, 401: ErrorAnswer },
      async handler({ reply }) {
        reply.type(metrics.contentType);
        return metrics.text();
      },
    });
  }
  // The socket itself is an upgrade, answered before routing; a plain GET learns where to look.
  route(app, {
    method: 'GET',
    url: '/v1/socket',
    tag: 'public',
    summary: 'The WebSocket (protocol v1, docs/protocol.md). A request without an upgrade is answered 426.',
    answers: { 426: ErrorAnswer },
    async handler({ reply }) {
      reply.code(426).header('upgrade', 'websocket');
      return { error: { code: 'bad_request', message: 'This is a WebSocket endpoint: open it with an upgrade.' } };
    },
  });
  const clock = options.testClock;
  if (clock) {
    route(app, {
      method: 'POST',
      url: '/test/clock',
      tag: 'test',
      summary: 'Test mode only: moves the fake clock and runs what falls due.',
      security: 'adminToken',
      guard: adminGuard(service),
      body: ClockBody,
      answers: { 200: ClockAnswer, 400: ErrorAnswer, 401: ErrorAnswer },
      async handler({ body }) {
        return { now: await clock.advance(body.advanceMs) };
      },
    });
  }
}

/** Whether the store answers a read within two seconds. */
async function storeReachable(service: ParleyService): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, 2000, false)));
  try {
    return await Promise.race([service.context.store.getMeta('epoch').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
