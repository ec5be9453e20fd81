import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, ROOMY_LIMITS, until, useCluster, within } from '../test-support/cluster-suite.js';
import { agentHello } from '../test-support/cluster-chat.js';
import type { TestClient } from '../test-support/test-client.js';
import { ADMIN_TOKEN } from '../test-support/test-server.js';

const CHATS = 20;

describe('deadlines on a cluster whose nodes all run them', LIMIT, () => {
  const suite = useCluster(() => ({
    overrides: { agents: [{ id: 'ana', name: 'Ana', offices: ['north', 'south'], capacity: CHATS }], limits: ROOMY_LIMITS, lifecycle: { customerInactivityMinutes: 5 } },
  }));

  it('N1, S10, S1: a deadline falls due on the shared business time while all three nodes run due deadlines at the same moment: it fires once (one Inactive, one event, each customer told once)', LIMIT, async () => {
    const { cluster } = suite;
    const store = await cluster.store();
    const agent = await suite.connect(cluster.node(0).wsUrl, await agentHello('ana'));
    await agent.request({ type: 'presence', status: 'available' });
    // Chats through the balancer (every node holds some customers); in each, the customer writes and
    // the agent answers: the inactivity countdown (S1) starts, on the one business time every node shares.
    // One chat after another: what this test is about is the deadline, not routing many starts at once.
    const chats: Array<{ customer: TestClient; sessionId: string }> = [];
    for (let index = 0; index < CHATS; index++) {
      const customer = await within(`customer ${index} connecting`, suite.connect(cluster.balancer.wsUrl, { role: 'customer', browserId: `browser-${index}`, button: index % 2 === 0 ? 'sales' : 'support' }));
      // Once its node has heard the agent is Available (over the bus, when not the agent's node).
      await within(`customer ${index} told the button is online`, customer.next((frame) => frame.type === 'availability' && frame.online === true));
      const started = await within(`customer ${index} starting`, customer.request({ type: 'start', prechat: { name: `c${index}` } }));
      assert.equal(started.type, 'result', JSON.stringify(started));
      const { sessionId } = started.data as { sessionId: string };
      const stored = async () => ({
        session: await store.getSession(sessionId),
        offers: await store.offersOfSession(sessionId),
        work: (await store.workOfAgent('ana')).length,
        errors: [0, 1, 2].flatMap((node) => cluster.errors(node)),
      });
      const offer = await within(`the offer of ${sessionId}`, agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId), 30_000, stored);
      assert.equal((await within(`the accept of ${sessionId}`, agent.request({ type: 'accept', offerId: offer.offerId }), 30_000, stored)).type, 'result');
      assert.equal((await within(`the customer's message in ${sessionId}`, customer.request({ type: 'message', cmid: 'c1', text: 'hello' }))).type, 'ack');
      assert.equal((await within(`the agent's reply in ${sessionId}`, agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'how can I help?' }))).type, 'ack');
      chats.push({ customer, sessionId });
    }
    const inactivity = (await store.dueDeadlines(Number.MAX_SAFE_INTEGER)).filter((deadline) => deadline.kind === 'inactivity');
    assert.equal(inactivity.length, CHATS);
    const dueAt = Math.min(...inactivity.map((deadline) => deadline.dueAt));
    assert.equal(Math.max(...inactivity.map((deadline) => deadline.dueAt)), dueAt, 'business time stood still: every countdown ends at one moment');

    // Up to a second before, as running nodes see time pass; then every node moves past it at the same moment,
    // and each runs what fell due.
    const now = async () => Number(await store.getMeta('test_clock_now'));
    await within('the time moving up to a second before', cluster.advance(dueAt - (await now()) - 1000), 60_000);
    assert.equal((await store.dueDeadlines(Number.MAX_SAFE_INTEGER)).filter((deadline) => deadline.kind === 'inactivity').length, CHATS, 'nothing fired early');
    const moved = await within('the three nodes moving the time', Promise.all(
      [0, 1, 2].map((index) =>
        fetch(`${cluster.node(index).url}/test/clock`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 2000 }) }),
      ),
    ));
    assert.deepEqual(moved.map((response) => response.status), [200, 200, 200]);

    for (const { sessionId } of chats) {
      const inactive = (await store.eventsAfter(sessionId, 0)).filter((event) => event.event.kind === 'state' && event.event.state === 'inactive');
      assert.equal(inactive.length, 1, `session ${sessionId} went Inactive ${inactive.length} times`);
      assert.equal((await store.getSession(sessionId))?.state, 'inactive');
    }
    assert.deepEqual((await store.dueDeadlines(Number.MAX_SAFE_INTEGER)).filter((deadline) => deadline.kind === 'inactivity'), [], 'each countdown is cleared');
    // Each customer hears it once, whichever node they sit on and whichever node ran the deadline.
    for (const { customer, sessionId } of chats) {
      const lastSeq = (await store.getSession(sessionId))!.lastSeq;
      await until(`the customer of ${sessionId} has seq ${lastSeq}`, () => customer.events(sessionId).some((frame) => frame.seq >= lastSeq));
      assert.equal(customer.events(sessionId).filter((frame) => frame.event.kind === 'state' && frame.event.state === 'inactive').length, 1);
    }
    assert.deepEqual([0, 1, 2].flatMap((index) => cluster.errors(index)), []);
  });
});
