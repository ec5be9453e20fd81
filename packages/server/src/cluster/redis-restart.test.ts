import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, useCluster } from '../test-support/cluster-suite.js';
import { agentHello, messagesSeen, resumeCustomer, seen, seqsSeen, startChat, storedMessages } from '../test-support/cluster-chat.js';
import { RedisProcess } from '../test-support/redis.js';

// A Redis of this test's own (it is killed): the shared one serves other tests meanwhile.
describe('a cluster whose Redis restarts', LIMIT, () => {
  let redis: RedisProcess;
  before(async () => {
    redis = await RedisProcess.start();
  });
  const suite = useCluster(() => ({ busUrl: redis.url }), () => redis?.kill());

  it('N3: Redis killed and restarted mid-chat (customer and agent on different nodes): nothing is lost, what was written meanwhile arrives by a resync from the store, each once, in order', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2] = [cluster.node(0), cluster.node(1)];
    const agent = await suite.connect(node1.wsUrl, await agentHello('ana'));
    await agent.request({ type: 'presence', status: 'available' });
    const { customer: first, chat } = await startChat(agent, node1.wsUrl, 'browser-n3');
    suite.track(first);
    const { sessionId } = chat;
    first.socket.terminate();
    const customer = suite.track(await resumeCustomer(node2.wsUrl, chat, Math.max(...seqsSeen([first], sessionId))));
    const before = (await customer.request({ type: 'message', cmid: 'c1', text: 'before' })) as { seq: number };
    await seen(agent, sessionId, before.seq);

    await redis.kill();
    // Stored while the bus is away: the other node cannot hear of them now.
    const fromCustomer = (await customer.request({ type: 'message', cmid: 'c2', text: 'while Redis is down' })) as { type: string; seq: number };
    const fromAgent = (await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'reply while Redis is down' })) as { type: string; seq: number };
    assert.deepEqual([fromCustomer.type, fromAgent.type], ['ack', 'ack']);
    await redis.restart();
    // Nothing else is written: only the resync after the reconnect can bring these.
    await seen(agent, sessionId, fromCustomer.seq);
    await seen(customer, sessionId, fromAgent.seq);

    const afterwards = (await customer.request({ type: 'message', cmid: 'c3', text: 'after' })) as { seq: number };
    await seen(agent, sessionId, afterwards.seq);
    const stored = await storedMessages(node1.url, chat);
    assert.deepEqual(stored.map((line) => line.slice(line.indexOf(':') + 1)), ['before', 'while Redis is down', 'reply while Redis is down', 'after']);
    assert.deepEqual(messagesSeen([agent], sessionId), stored);
    assert.deepEqual(messagesSeen([customer], sessionId), stored);
    for (const client of [customer, agent]) {
      const seqs = seqsSeen([client], sessionId);
      assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'each event once, in seq order');
    }
  });
});
