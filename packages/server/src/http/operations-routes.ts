import type { FastifyInstance } from 'fastify';
import type { FakeClock } from '../clock/fake-clock.js';
import type { ParleyService } from '../service/parley-service.js';
import { adminGuard } from './admin-routes.js';
import { ClockAnswer, ClockBody, ErrorAnswer, HealthAnswer } from './bodies.js';
import { route } from './route.js';

export interface OperationsOptions {
  draining: () => boolean;
  metrics: () => Record<string, unknown>;
  /** Present only in test mode: the clock the test-only control moves. */
  testClock?: FakeClock | undefined;
}

/** Health, metrics, the WebSocket's address, and the test-mode clock. */
export function operationsRoutes(app: FastifyInstance, service: ParleyService, options: OperationsOptions): void {
  const { context } = service;
  route(app, {
    method: 'GET',
    url: '/healthz',
    tag: 'operations',
    summary: 'Whether this node takes traffic.',
    answers: { 200: HealthAnswer },
    handler: async () => ({ ok: true, draining: options.draining() }),
  });
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Connections by role, sessions by state, messages, drains.' } }, async () => ({
    ...options.metrics(),
    sessions: await context.store.countSessionsByState(),
    messages: await context.store.countMessages(),
  }));
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
        clock.advance(body.advanceMs);
        await context.deadlines.runDue();
        return { now: clock.now() };
      },
    });
  }
}
