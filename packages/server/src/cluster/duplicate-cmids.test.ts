import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, ROOMY_LIMITS, useCluster } from '../test-support/cluster-suite.js';
import { agentHello, messagesSeen, seen, startChat, storedMessages } from '../test-support/cluster-chat.js';

const ROUNDS = 25;

describe('one message sent through two nodes at once', LIMIT, () => {
  const suite = useCluster(() => ({ overrides: { limits: ROOMY_LIMITS } }));

  it('N1, C6: the same cmid sent at the same moment through two nodes (the agent in two browsers) is stored once, and both senders are acked with its one seq', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2, node3] = [cluster.node(0), cluster.node(1), cluster.node(2)];
    // The agent has a socket on node 1 and, from another browser, one on node 2 (each browser's newest socket
    // is kept: both stay open); the customer sits on node 3.
    const first = await suite.connect(node1.wsUrl, await agentHello('ana', 'browser-ana-1'));
    await first.request({ type: 'presence', status: 'available' });
    const { customer, chat } = await startChat(first, node3.wsUrl, 'browser-dup', { whenOnline: true });
    suite.track(customer);
    const { sessionId } = chat;
    const second = await suite.connect(node2.wsUrl, await agentHello('ana', 'browser-ana-2'));
    const before = (await (await cluster.store()).getSession(sessionId))!.lastSeq;

    // Each message goes out through both sockets at once: two nodes store the same cmid at the same moment.
    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, (_, round) => Promise.all([first, second].map((socket) => socket.request({ type: 'reply', sessionId, cmid: `dup-${round}`, text: `reply ${round}` })))),
    );
    for (const [round, answers] of rounds.entries()) {
      assert.deepEqual(answers.map((answer) => answer.type), ['ack', 'ack'], `round ${round}: ${JSON.stringify(answers)}`);
      assert.equal(answers[0]!.seq, answers[1]!.seq, `round ${round}: node1 acked seq ${String(answers[0]!.seq)}, node2 seq ${String(answers[1]!.seq)}`);
    }

    // Stored once each (read through the customer's node), gap-free after what came before.
    const stored = await storedMessages(node3.url, chat);
    assert.equal(stored.length, ROUNDS, stored.join(', '));
    assert.equal(new Set(stored.map((line) => line.slice(line.indexOf(':') + 1))).size, ROUNDS);
    assert.deepEqual(
      stored.map((line) => Number(line.split(':')[0])),
      Array.from({ length: ROUNDS }, (_, index) => before + 1 + index),
    );
    assert.deepEqual(
      rounds.map((answers) => answers[0]!.seq).sort((a, b) => (a as number) - (b as number)),
      stored.map((line) => Number(line.split(':')[0])),
    );
    // Everyone saw each message once, in seq order: the customer and both of the agent's sockets.
    const last = before + ROUNDS;
    for (const client of [customer, first, second]) {
      await seen(client, sessionId, last);
      assert.deepEqual(messagesSeen([client], sessionId), stored);
    }
    assert.deepEqual([0, 1, 2].flatMap((index) => cluster.errors(index)), []);
  });
});
