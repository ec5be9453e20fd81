import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, ROOMY_LIMITS, useCluster } from '../test-support/cluster-suite.js';
import { agentHello, messagesSeen, resumeCustomer, seen, seqsSeen, startChat, storedMessages } from '../test-support/cluster-chat.js';

const ROUNDS = 25;

describe('one message re-sent through two nodes at once', LIMIT, () => {
  const suite = useCluster(() => ({ overrides: { limits: ROOMY_LIMITS } }));

  it('N1, C6: the same cmid sent at the same moment through two nodes (two sockets of one customer) is stored once, and both senders are acked with its one seq', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2, node3] = [cluster.node(0), cluster.node(1), cluster.node(2)];
    const agent = await suite.connect(node1.wsUrl, await agentHello('ana'));
    await agent.request({ type: 'presence', status: 'available' });
    const { customer: first, chat } = await startChat(agent, node1.wsUrl, 'browser-dup');
    suite.track(first);
    const { sessionId } = chat;
    // The same customer on a second socket, on another node (a reconnect whose old socket is not gone yet):
    // both sockets stay open, and each sends every message, so two nodes store each cmid at the same moment.
    const second = suite.track(await resumeCustomer(node2.wsUrl, chat, Math.max(...seqsSeen([first], sessionId))));
    const before = Math.max(...seqsSeen([first], sessionId));

    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, (_, round) => Promise.all([first, second].map((socket) => socket.request({ type: 'message', cmid: `dup-${round}`, text: `message ${round}` })))),
    );
    for (const [round, answers] of rounds.entries()) {
      assert.deepEqual(answers.map((answer) => answer.type), ['ack', 'ack'], `round ${round}: ${JSON.stringify(answers)}`);
      assert.equal(answers[0]!.seq, answers[1]!.seq, `round ${round}: node1 acked seq ${String(answers[0]!.seq)}, node2 seq ${String(answers[1]!.seq)}`);
    }

    // Stored once each (read through the third node), gap-free after what came before.
    const stored = await storedMessages(node3.url, chat);
    assert.equal(stored.length, ROUNDS, stored.join(', '));
    assert.deepEqual(new Set(stored.map((line) => line.slice(line.indexOf(':') + 1))).size, ROUNDS);
    assert.deepEqual(
      stored.map((line) => Number(line.split(':')[0])),
      Array.from({ length: ROUNDS }, (_, index) => before + 1 + index),
    );
    assert.deepEqual(
      rounds.map((answers) => answers[0]!.seq).sort((a, b) => (a as number) - (b as number)),
      stored.map((line) => Number(line.split(':')[0])),
    );
    // Everyone saw each message once, in seq order: the agent on node 1 and both customer sockets.
    const last = before + ROUNDS;
    for (const client of [agent, first, second]) {
      await seen(client, sessionId, last);
      assert.deepEqual(messagesSeen([client], sessionId), stored);
    }
    assert.deepEqual([0, 1, 2].flatMap((index) => cluster.errors(index)), []);
  });
});
