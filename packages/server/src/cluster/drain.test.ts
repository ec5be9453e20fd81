import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, useCluster } from '../test-support/cluster-suite.js';
import { admin, agentHello, messagesSeen, resumeCustomer, seen, seqsSeen, startChat, storedMessages, type ClusterChat } from '../test-support/cluster-chat.js';
import type { TestClient } from '../test-support/test-client.js';

describe('draining one node of a cluster', LIMIT, () => {
  const suite = useCluster();

  it('N2: a draining node answers /healthz 503 at once; its clients reconnect through the balancer onto the other nodes and lose no message', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2] = [cluster.node(0), cluster.node(1)];
    // The agent stays on node 1; two chats and an idle visitor sit on node 2, the node to drain.
    const agent = await suite.connect(node1.wsUrl, await agentHello('ana'));
    await agent.request({ type: 'presence', status: 'available' });
    const chats: Array<{ chat: ClusterChat; customer: TestClient; seen: TestClient[] }> = [];
    for (const browserId of ['browser-d1', 'browser-d2']) {
      const { customer: first, chat } = await startChat(agent, node1.wsUrl, browserId);
      first.socket.terminate();
      const customer = await resumeCustomer(node2.wsUrl, chat, Math.max(...seqsSeen([first], chat.sessionId)));
      suite.track(first);
      suite.track(customer);
      chats.push({ chat, customer, seen: [customer] });
    }
    const visitor = await suite.connect(node2.wsUrl, { role: 'customer', browserId: 'browser-d3', button: 'sales' });
    for (const { customer } of chats) await customer.request({ type: 'message', cmid: 'm1', text: 'before the drain' });

    // In flight when the drain starts: stored or not, the client sends it again after reconnecting.
    for (const { customer } of chats) customer.send({ type: 'message', cmid: 'm2', text: 'during the drain', ref: 'in-flight' });
    const drained = await admin(node2.url, 'POST', '/admin/drain');
    assert.equal(drained.status, 202);
    const health = await fetch(`${node2.url}/healthz`);
    assert.equal(health.status, 503, 'the load balancer stops sending at once');
    for (const client of [...chats.map(({ customer }) => customer), visitor]) {
      assert.equal((await client.next((frame) => frame.type === 'reconnect')).reason, 'maintenance');
      assert.equal((await client.closed).code, 1012);
    }

    // Each client reconnects at once, through the balancer (round robin, no stickiness).
    const landed: string[] = [];
    for (const entry of chats) {
      const lastSeq = Math.max(...seqsSeen(entry.seen, entry.chat.sessionId));
      const again = suite.track(await resumeCustomer(cluster.balancer.wsUrl, entry.chat, lastSeq));
      landed.push(String(again.upgradeHeaders['x-parley-node']));
      entry.customer = again;
      entry.seen.push(again);
      const resent = await again.request({ type: 'message', cmid: 'm2', text: 'during the drain' });
      assert.equal(resent.type, 'ack');
      await again.request({ type: 'message', cmid: 'm3', text: 'after the drain' });
    }
    const visitorAgain = await suite.connect(cluster.balancer.wsUrl, { role: 'customer', browserId: 'browser-d3', button: 'sales' });
    landed.push(String(visitorAgain.upgradeHeaders['x-parley-node']));
    assert.equal(landed.length, 3);
    assert.ok(landed.every((node) => node === 'node1' || node === 'node3'), `landed on ${landed.join(', ')}: never on the draining node2`);

    // Both ways across nodes afterwards; every message once, in order, as stored.
    for (const { chat, customer, seen: sockets } of chats) {
      const reply = await agent.request({ type: 'reply', sessionId: chat.sessionId, cmid: 'a1', text: 'welcome back' });
      await seen(customer, chat.sessionId, reply.seq as number);
      const stored = await storedMessages(cluster.balancer.url, chat);
      assert.deepEqual(stored.map((line) => line.slice(line.indexOf(':') + 1)), ['before the drain', 'during the drain', 'after the drain', 'welcome back']);
      await seen(agent, chat.sessionId, reply.seq as number);
      assert.deepEqual(messagesSeen([agent], chat.sessionId), stored);
      assert.deepEqual([...new Set(messagesSeen(sockets, chat.sessionId))], stored);
      const seqs = seqsSeen([customer], chat.sessionId);
      assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b));
    }
  });
});
