import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from '../test-support/cluster.js';
import { agentHello, messagesSeen, seen, seqsSeen, startChat, storedMessages, type ClusterChat } from '../test-support/cluster-chat.js';
import { PostgresProcess } from '../test-support/postgres-process.js';
import { TestClient } from '../test-support/test-client.js';
import { TEST_CONFIG } from '../test-support/test-server.js';

// Real processes: three nodes on a PostgreSQL server of this test's own (it is stopped and started
// again), Redis and HAProxy. A test that hangs is cut here, and fails.
const LIMIT = { timeout: 180_000 };
const CUSTOMERS = 6;
const MESSAGES = 12;

/**
 * What a client's outbox does, by hand: a message the service answers `read_only` is kept and sent
 * again, with the same cmid, once its button says the service is back.
 */
async function deliver(customer: TestClient, cmid: string, text: string, refusals: { count: number }): Promise<void> {
  for (;;) {
    const from = customer.frames.length;
    const answer = await customer.request({ type: 'message', cmid, text });
    if (answer.type === 'ack') return;
    assert.equal(answer.code, 'read_only', JSON.stringify(answer));
    refusals.count += 1;
    await customer.next((frame) => frame.type === 'availability' && frame.reason !== 'read-only' && customer.frames.indexOf(frame) >= from);
  }
}

describe('PostgreSQL restarted under a cluster', LIMIT, () => {
  let postgres: PostgresProcess;
  let cluster: Cluster;
  const clients: TestClient[] = [];
  before(async () => {
    postgres = await PostgresProcess.start();
    cluster = await Cluster.start({ postgresUrl: postgres.url, overrides: { agents: [{ ...TEST_CONFIG.agents[0], capacity: CUSTOMERS }] } });
  });
  after(async () => {
    for (const client of clients) client.socket.terminate();
    // A test cut off while the server was stopped cannot drop its database: the folder goes with it.
    await cluster?.stop().catch(() => {});
    await postgres?.remove();
  });

  it('M6, N1: PostgreSQL restarted while customers write: chats pause, buttons say read-only, and when it is back everything resumes by itself, nothing lost or doubled', LIMIT, async () => {
    const agent = await TestClient.connect(cluster.nodes[0]!.wsUrl, await agentHello('ana'));
    clients.push(agent);
    await agent.request({ type: 'presence', status: 'available' });
    const chats: Array<{ customer: TestClient; chat: ClusterChat }> = [];
    for (let index = 0; index < CUSTOMERS; index++) {
      const { customer, chat } = await startChat(agent, cluster.nodes[index % 3]!.wsUrl, `browser-m6-${index}`);
      clients.push(customer);
      chats.push({ customer, chat });
    }

    // Every customer writes a few messages, then goes on writing, one after another, into the outage:
    // each node has writes that fail (in test mode the business clock, and so the nodes' heartbeat, stands still).
    const refusals = { count: 0 };
    const write = async (customer: TestClient, from: number, to: number) => {
      for (let number = from; number <= to; number++) await deliver(customer, `m${number}`, `message ${number}`, refusals);
    };
    await Promise.all(chats.map(({ customer }) => write(customer, 1, 3)));
    await postgres.stop();
    const writers = chats.map(({ customer }) => write(customer, 4, MESSAGES));
    // Honest buttons: every customer's node says read-only (none says "online" while nothing can be stored).
    await Promise.all(chats.map(({ customer }) => customer.next((frame) => frame.type === 'availability' && frame.reason === 'read-only')));
    await postgres.restart();
    await Promise.all(writers);
    assert.ok(refusals.count > 0, 'some messages were written while the database was down');

    // The agent answers each chat after the restart: their side works again too.
    for (const { chat } of chats) assert.equal((await agent.request({ type: 'reply', sessionId: chat.sessionId, cmid: 'after', text: 'back' })).type, 'ack');

    for (const [index, { customer, chat }] of chats.entries()) {
      const stored = await storedMessages(cluster.nodes[(index + 1) % 3]!.url, chat);
      const expected = Array.from({ length: MESSAGES }, (_, number) => `message ${number + 1}`);
      assert.deepEqual(stored.map((line) => line.slice(line.indexOf(':') + 1)), [...expected, 'back'], 'each message stored once, in the order written');
      const last = Number(stored.at(-1)!.split(':')[0]);
      await seen(agent, chat.sessionId, last);
      await seen(customer, chat.sessionId, last);
      assert.deepEqual(messagesSeen([agent], chat.sessionId), stored, 'the agent saw exactly what is stored');
      const seqs = seqsSeen([agent], chat.sessionId);
      assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'each event once, in seq order');
    }
    for (const node of cluster.nodes) assert.equal(node.child.exitCode, null, 'no node crashed');
  });
});
