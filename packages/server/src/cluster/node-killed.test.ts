import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEARTBEAT_MS, NODE_DEAD_AFTER_MS } from '../presence/presence-service.js';
import type { Cluster } from '../test-support/cluster.js';
import { CLUSTER_LIMIT as LIMIT, until, useCluster } from '../test-support/cluster-suite.js';
import { agentHello, seen, startChat } from '../test-support/cluster-chat.js';
import { ADMIN_TOKEN } from '../test-support/test-server.js';

const SECOND = 1000;
/** P7: presence is held this long after the agent's last socket is gone (default 2 minutes). */
const DISCONNECT_GRACE = 120 * SECOND;

/** The agent's deadlines still to come (`disconnect`, `agent-grace`, `idle`), as the store holds them. */
async function agentDeadlines(cluster: Cluster, agentId: string): Promise<Map<string, number>> {
  const deadlines = (await (await cluster.store()).dueDeadlines(Number.MAX_SAFE_INTEGER)).filter((deadline) => deadline.subject === `agent:${agentId}`);
  return new Map(deadlines.map((deadline) => [deadline.kind, deadline.dueAt]));
}

/** Nodes registered in the store (a killed node stays until another reaps it). */
async function registeredNodes(cluster: Cluster): Promise<number> {
  const [row] = (await (await cluster.store()).pool.query<{ count: number }>('SELECT COUNT(*)::int AS count FROM nodes')).rows;
  return row!.count;
}

/** The business time as the store holds it (every node's, in test mode). */
async function businessTime(cluster: Cluster): Promise<number> {
  return Number(await (await cluster.store()).getMeta('test_clock_now'));
}

/** Moves node `index`'s clock by `ms` in one request (the nodes asked at once run what fell due at once). */
async function advanceOn(cluster: Cluster, index: number, ms: number): Promise<void> {
  const response = await fetch(`${cluster.node(index).url}/test/clock`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
  assert.equal(response.status, 200, await response.text());
}

describe('the agent\'s node killed (SIGKILL), the agent reconnecting', LIMIT, () => {
  const suite = useCluster();

  it('N1, P7, M7: the agent\'s node is SIGKILLed and the agent reconnects through the balancer to another node: once the dead node is reaped no grace starts, presence is unchanged and the chat goes on', LIMIT, async () => {
    const { cluster } = suite;
    const store = await cluster.store();
    const agent = await suite.connect(cluster.node(0).wsUrl, await agentHello('ana'));
    await agent.request({ type: 'presence', status: 'available' });
    const { customer, chat } = await startChat(agent, cluster.node(1).wsUrl, 'browser-k1', { whenOnline: true });
    suite.track(customer);
    const before = await store.getPresence('ana');
    assert.equal(before?.status, 'available');

    await cluster.node(0).kill('SIGKILL');
    // The agent's client reconnects at once, through HAProxy: node 1 refuses, another node takes it.
    const again = await suite.connect(cluster.balancer.wsUrl, await agentHello('ana'));
    const landed = cluster.indexOf(String(again.upgradeHeaders['x-parley-node']));
    assert.ok(landed === 1 || landed === 2, `landed on ${String(again.upgradeHeaders['x-parley-node'])}`);
    assert.equal(((await again.next((frame) => frame.type === 'presence')).presence as { status?: string } | undefined)?.status, 'available');

    // Time passes on the nodes alive; the one not holding the agent's new socket moves it, so it beats
    // first and reaps the dead node: the agent's socket on another node must keep her there.
    const other = landed === 1 ? 2 : 1;
    await cluster.advance(NODE_DEAD_AFTER_MS + HEARTBEAT_MS, other);
    await until('the killed node is reaped', async () => (await registeredNodes(cluster)) === 2);
    assert.deepEqual([...(await agentDeadlines(cluster, 'ana')).keys()].sort(), ['idle'], 'no disconnect grace, no M4 grace');

    // Past both graces: presence is what it was, not one change since, and the chat is still hers.
    await cluster.advance(DISCONNECT_GRACE + 10 * SECOND, other);
    assert.deepEqual(await store.getPresence('ana'), before);
    assert.deepEqual((await store.workOfAgent('ana')).map((work) => [work.sessionId, work.phase]), [[chat.sessionId, 'open']]);
    assert.equal((await store.getSession(chat.sessionId))?.state, 'active');
    const reply = await again.request({ type: 'reply', sessionId: chat.sessionId, cmid: 'a1', text: 'still here' });
    assert.equal(reply.type, 'ack', JSON.stringify(reply));
    await seen(customer, chat.sessionId, reply.seq as number);
    assert.deepEqual([1, 2].flatMap((index) => cluster.errors(index)), []);
  });
});

describe('the agent\'s node killed (SIGKILL), the agent not coming back', LIMIT, () => {
  const suite = useCluster();

  it('N1, P7, M4: the agent\'s node is SIGKILLed and the agent does not come back: the graces start when the dead node is reaped; with two nodes running deadlines at once the chat is re-routed to another agent once, and the agent goes Offline after the grace', LIMIT, async () => {
    const { cluster } = suite;
    const store = await cluster.store();
    const ana = await suite.connect(cluster.node(0).wsUrl, await agentHello('ana'));
    await ana.request({ type: 'presence', status: 'available' });
    const { customer, chat } = await startChat(ana, cluster.node(1).wsUrl, 'browser-k2', { whenOnline: true });
    suite.track(customer);
    const { sessionId } = chat;
    // Ben (Sales, on node 3) becomes Available once Ana has the chat: the one to take it over.
    const ben = await suite.connect(cluster.node(2).wsUrl, await agentHello('ben'));
    await ben.request({ type: 'presence', status: 'available' });

    const killedAt = await businessTime(cluster);
    await cluster.node(0).kill('SIGKILL');
    // Within the bound the dead node's socket still counts; at the first beat past it the node is reaped.
    await cluster.advance(NODE_DEAD_AFTER_MS + HEARTBEAT_MS, 1);
    await until('the killed node is reaped', async () => (await registeredNodes(cluster)) === 2);
    // The reaping node sets the disconnect grace (P7), then the M4 grace: both are there once it is done.
    let deadlines = new Map<string, number>();
    await until('both graces start', async () => {
      deadlines = await agentDeadlines(cluster, 'ana');
      return deadlines.has('agent-grace') && deadlines.has('disconnect');
    });
    assert.ok(deadlines.get('disconnect')! >= killedAt + NODE_DEAD_AFTER_MS + DISCONNECT_GRACE, 'the grace counts from the reap');
    assert.equal((await store.getPresence('ana'))?.status, 'available', 'P7: presence held meanwhile');

    // M4: up to a second before the agent grace ends, then both nodes alive move past it at the same moment.
    await cluster.advance(deadlines.get('agent-grace')! - (await businessTime(cluster)) - SECOND, 1);
    assert.equal((await store.getSession(sessionId))?.state, 'active');
    await Promise.all([advanceOn(cluster, 1, 2 * SECOND), advanceOn(cluster, 2, 2 * SECOND)]);
    await until('the chat is offered to Ben', async () => (await store.offersOfSession(sessionId)).length > 0);
    const lost = (await store.eventsAfter(sessionId, 0)).filter((event) => event.event.kind === 'state' && event.event.state === 'waiting' && event.event.reason === 'agent-lost');
    assert.equal(lost.length, 1, `re-routed ${lost.length} times`);
    const offers = await store.offersOfSession(sessionId);
    assert.deepEqual(offers.map((offer) => offer.agentId), ['ben']);
    const offer = await ben.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    assert.equal((await ben.request({ type: 'accept', offerId: offer.offerId })).type, 'result');
    await customer.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'state' && frame.event.state === 'active');
    assert.equal(ben.frames.filter((frame) => frame.type === 'offer' && frame.sessionId === sessionId).length, 1, 'Ben was offered the chat once');
    assert.equal(customer.events(sessionId).filter((frame) => frame.event.kind === 'state' && frame.event.state === 'waiting').length, 2, 'the customer saw one wait for Ana and one for Ben');

    // P7: Offline once the disconnect grace is over, not before.
    const disconnect = deadlines.get('disconnect')!;
    await cluster.advance(disconnect - (await businessTime(cluster)) - SECOND, 1);
    assert.equal((await store.getPresence('ana'))?.status, 'available');
    await cluster.advance(2 * SECOND, 1);
    await until('Ana is Offline', async () => (await store.getPresence('ana'))?.status === 'offline');
    assert.deepEqual([1, 2].flatMap((index) => cluster.errors(index)), []);
  });
});
