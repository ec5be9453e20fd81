import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startTestNodes, type TestNodes } from '../test-support/test-nodes.js';

const ROOMY_LIMITS = { framesPerSecond: 1000, frameBurst: 10_000, chatStartsPerAddress: 100_000, chatStartsPerBrowser: 1000, connectionsPerAddress: 100_000, addressFramesPerSecond: 100_000, addressFrameBurst: 1_000_000, waitingPerButton: 1000 };
const SESSIONS = 20;

describe('N1: deadlines with every node running them', { timeout: 120_000 }, () => {
  let cluster: TestNodes;
  afterEach(() => cluster.close());

  it('N1, S10: a due deadline fires once with three nodes running due deadlines at once: one transition, one event', async () => {
    cluster = await startTestNodes(3, { agents: [{ id: 'ana', name: 'Ana', offices: ['north'], capacity: 1 }], limits: ROOMY_LIMITS });
    const [first] = cluster.nodes;
    const ana = await first!.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const sessions: string[] = [];
    for (let index = 0; index < SESSIONS; index++) {
      const customer = await first!.customer(`browser-${index}`);
      sessions.push(((await customer.request({ type: 'start', prechat: { name: `c${index}` } })).data as { sessionId: string }).sessionId);
    }
    // Every session's end falls due at the same moment, on the one business time every node shares.
    const dueAt = cluster.clock.now() + 1000;
    for (const sessionId of sessions) await cluster.stores[0]!.setDeadline({ subject: `session:${sessionId}`, kind: 'end', dueAt });
    cluster.clock.advance(1000);
    await Promise.all(cluster.nodes.map((node) => node.server.service.context.deadlines.runDue()));

    for (const sessionId of sessions) {
      const ended = (await cluster.stores[1]!.eventsAfter(sessionId, 0)).filter((event) => event.event.kind === 'state' && event.event.state === 'ended');
      assert.equal(ended.length, 1, `session ${sessionId} ended ${ended.length} times`);
    }
    assert.deepEqual(await cluster.stores[2]!.dueDeadlines(cluster.clock.now()), []);
    assert.deepEqual(cluster.errors(), []);
  });
});
