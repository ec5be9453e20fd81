import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { NODE_DEAD_AFTER_MS } from './presence-service.js';
import { startTestNodes, type TestNodes } from '../test-support/test-nodes.js';

const SECOND = 1000;
const GRACE = 120 * SECOND;

describe('N1: agents connected to several nodes', { timeout: 120_000 }, () => {
  let cluster: TestNodes;
  afterEach(() => cluster.close());

  const statusOf = async (agentId: string) => (await cluster.stores[0]!.getPresence(agentId))?.status;
  const pendingDeadlines = async (agentId: string) =>
    (await cluster.stores[0]!.dueDeadlines(Number.MAX_SAFE_INTEGER)).filter((deadline) => deadline.subject === `agent:${agentId}`).map((deadline) => deadline.kind).sort();

  it('N1, P7: an agent whose socket on one node closes while another node holds one keeps their presence: no disconnect grace', async () => {
    cluster = await startTestNodes(2);
    const [first, second] = cluster.nodes;
    const tabs = [await first!.agent('ana', 'browser-1'), await second!.agent('ana', 'browser-2')];
    for (const tab of tabs) await tab.request({ type: 'presence', status: 'available' });
    tabs[0]!.socket.terminate();
    await first!.agentGone('ana');
    assert.deepEqual(await pendingDeadlines('ana'), ['idle'], 'no disconnect or M4 grace started');
    await cluster.advance(GRACE + 10 * SECOND);
    assert.equal(await statusOf('ana'), 'available');
    // Her last socket closes, on the other node: now the grace starts, and she is Offline after it.
    tabs[1]!.socket.terminate();
    await second!.agentGone('ana');
    await cluster.advance(GRACE + 10 * SECOND);
    assert.equal(await statusOf('ana'), 'offline');
    assert.deepEqual(cluster.errors(), []);
  });

  it('N1, P7, M4: a node that dies is reaped after the bound; only then do its agents\' graces start, and they go Offline after them', async () => {
    cluster = await startTestNodes(2);
    const [, second] = cluster.nodes;
    const ana = await second!.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const killedAt = cluster.clock.now();
    cluster.kill(1);
    // Within the bound the dead node's socket still counts: nothing changes.
    await cluster.advance(NODE_DEAD_AFTER_MS - 5 * SECOND);
    assert.equal(await statusOf('ana'), 'available');
    assert.deepEqual(await pendingDeadlines('ana'), ['idle']);
    // Reaped at the first beat past the bound: the disconnect grace and the M4 grace start then.
    await cluster.advance(10 * SECOND);
    assert.deepEqual(await pendingDeadlines('ana'), ['agent-grace', 'disconnect', 'idle']);
    const [disconnect] = (await cluster.stores[0]!.dueDeadlines(Number.MAX_SAFE_INTEGER)).filter((deadline) => deadline.subject === 'agent:ana' && deadline.kind === 'disconnect');
    assert.ok(disconnect!.dueAt >= killedAt + NODE_DEAD_AFTER_MS + GRACE, 'the grace counts from the reap, not from the last beat');
    await cluster.advance(disconnect!.dueAt - cluster.clock.now() - SECOND);
    assert.equal(await statusOf('ana'), 'available');
    await cluster.advance(2 * SECOND);
    assert.equal(await statusOf('ana'), 'offline');
    assert.deepEqual(cluster.errors(), []);
  });
});
