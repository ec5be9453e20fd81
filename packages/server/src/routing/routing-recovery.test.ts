import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { HEARTBEAT_MS } from '../presence/presence-service.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { session } from '../store/store-contract.js';
import type { Store } from '../store/store.js';
import { startTestService, type TestService } from '../test-support/test-server.js';
import { ROUTING_RETRY_MS } from './router.js';

/** A store whose next `putOffer` fails once, as a store answering an error for a moment does. */
function storeFailingOneOffer(inner: Store): { store: Store; failNextOffer(): void } {
  let failNext = false;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'putOffer' && failNext) {
          failNext = false;
          return Promise.reject(new Error('the store failed this once'));
        }
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, failNextOffer: () => (failNext = true) };
}

describe('routing that cannot strand a Waiting session (Q1, N1)', { timeout: 60_000 }, () => {
  let service: TestService;
  afterEach(() => service.close());

  async function availableAgent(): Promise<void> {
    const agent = await service.agent('ben');
    await agent.request({ type: 'presence', status: 'available' });
  }

  it('Q1, M6: a routing pass the store failed runs again a second later, and the Waiting session gets its offer', async () => {
    const failing = storeFailingOneOffer(openSqliteStore(':memory:'));
    service = await startTestService({}, { store: failing.store });
    const { router, context } = service.server.service;
    await availableAgent();
    failing.failNextOffer();
    const customer = await service.customer('browser-1');
    const started = await customer.request({ type: 'start', prechat: { name: 'Cleo' } });
    const sessionId = (started.data as { sessionId: string }).sessionId;
    await router.settled();
    assert.equal((await context.store.offersOfSession(sessionId)).length, 0, 'the failed pass offered nothing');

    service.clock.advance(ROUTING_RETRY_MS);
    await router.settled();
    assert.deepEqual((await context.store.offersOfSession(sessionId)).map((offer) => offer.agentId), ['ben']);
  });

  it('Q1, N1: a Waiting session whose pass never ran (its node died between the start and the pass) is offered at the next heartbeat', async () => {
    service = await startTestService();
    const { router, context, heartbeat } = service.server.service;
    await availableAgent();
    // What a node killed right after committing a start leaves: a Waiting session no pass looked at.
    const orphan = await context.store.createSession(session(context.newId(), { createdAt: context.clock.now(), updatedAt: context.clock.now() }));
    await router.settled();
    assert.equal((await context.store.offersOfSession(orphan.id)).length, 0);

    service.clock.advance(HEARTBEAT_MS);
    await heartbeat.latest;
    await router.settled();
    assert.deepEqual((await context.store.offersOfSession(orphan.id)).map((offer) => offer.agentId), ['ben']);
  });
});
