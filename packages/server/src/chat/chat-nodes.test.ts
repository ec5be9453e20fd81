import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { openChat } from '../test-support/chat-setup.js';
import { startTestNodes, type TestNodes } from '../test-support/test-nodes.js';

const ROUNDS = 30;

describe('N1: one chat served by several nodes', { timeout: 120_000 }, () => {
  let cluster: TestNodes;
  afterEach(() => cluster.close());

  it('N1: a customer message re-sent through three nodes at once is stored once, in seq order, and every node acks it with its seq', async () => {
    cluster = await startTestNodes(3);
    const { sessionId } = await openChat(cluster.nodes[0]!);
    const before = (await cluster.stores[0]!.getSession(sessionId))!.lastSeq;
    // Each round: one message (one cmid) arriving on every node at once, as a client re-sending after a drop might.
    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, (_, round) =>
        Promise.all(cluster.nodes.map((node) => node.server.service.chat.customerMessage(sessionId, `cmid-${round}`, `message ${round}`))),
      ),
    );
    for (const [round, acks] of rounds.entries()) assert.equal(new Set(acks).size, 1, `round ${round}: the nodes acked ${acks.join(', ')}`);
    const messages = (await cluster.stores[1]!.eventsAfter(sessionId, before)).filter((event) => event.event.kind === 'message');
    assert.equal(messages.length, ROUNDS);
    assert.deepEqual(
      messages.map((event) => event.seq),
      rounds.map((acks) => acks[0]).sort((a, b) => a! - b!),
    );
    const seqs = (await cluster.stores[2]!.eventsAfter(sessionId, 0)).map((event) => event.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, index) => index + 1));
    assert.deepEqual(cluster.errors(), []);
  });
});
