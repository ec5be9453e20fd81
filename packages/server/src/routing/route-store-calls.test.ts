import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../store/sqlite-store.js';
import { countingStore } from '../test-support/counting-store.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

/** Calls that only look at this process's transaction scope: no round trip to count. */
const LOCAL = new Set<PropertyKey>(['afterCommit', 'inTransaction', 'transaction', 'detached']);
const AGENTS = Array.from({ length: 8 }, (_, index) => ({ id: `agent${index}`, name: `Agent ${index}`, offices: ['north'], capacity: 2 }));

/**
 * Q1, N1: a routing pass decides from what is stored, read under its locks. It reads every agent's
 * presence, offers out and capacity in use once for all agents, not once per agent: a pass (one
 * per presence change, start, accept…) costs the same few reads with 8 agents as with 2.
 */
describe('store calls per routing pass', () => {
  let count: ReturnType<typeof countingStore>['count'];
  let service: TestService;

  before(async () => {
    const counted = countingStore(openSqliteStore(':memory:'), LOCAL);
    count = counted.count;
    const store = counted.store;
    service = await startTestService({ agents: AGENTS }, { store });
  });
  after(() => service.close());

  it('Q1: a pass with a Waiting session reads presence, offers and work once for all 8 agents', async () => {
    for (const { id } of AGENTS) {
      const agent = await service.agent(id);
      await agent.request({ type: 'presence', status: 'available' });
    }
    const customer = await service.customer('routed-browser', { button: 'sales' });
    // All eight are Available with a free slot: the first pass offers it to one of them.
    await customer.request({ type: 'start' });
    await service.server.service.router.settled();
    const router = service.server.service.router;
    const used = await count(() => router.route());
    const perAgent = ['getPresence', 'workOfAgent', 'offersOfAgent'].filter((name) => used.filter((call) => call === name).length > 1);
    assert.deepEqual(perAgent, [], `read once per agent: ${used.join(', ')}`);
    assert.equal(used.filter((call) => call === 'presences').length, 1);
    assert.equal(used.filter((call) => call === 'workloads').length, 1);
    assert.equal(used.filter((call) => call === 'offerCounts').length, 1);
    assert.ok(used.length <= 10, `${used.length} calls: ${used.join(', ')}`);
  });
});
