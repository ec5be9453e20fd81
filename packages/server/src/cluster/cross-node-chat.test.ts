import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOSE } from '@parley/protocol';
import { CLUSTER_LIMIT as LIMIT, useCluster } from '../test-support/cluster-suite.js';
import { agentHello, messagesSeen, resumeCustomer, seen, seqsSeen, startChat, storedMessages } from '../test-support/cluster-chat.js';
import { ADMIN_TOKEN } from '../test-support/test-server.js';

describe('a cluster of three nodes', LIMIT, () => {
  const suite = useCluster();

  it('N1: a chat whose customer and agent sit on different nodes: messages both ways, each once, in seq order, as stored', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2, node3] = [cluster.node(0), cluster.node(1), cluster.node(2)];
    const agent = await suite.connect(node1.wsUrl, await agentHello('ana'));
    await agent.request({ type: 'presence', status: 'available' });
    const { customer: first, chat } = await startChat(agent, node1.wsUrl, 'browser-n1');
    suite.track(first);
    const { sessionId } = chat;
    // The customer's next socket lands on another node (no sticky sessions): it resumes there.
    const lastSeq = Math.max(...seqsSeen([first], sessionId));
    first.socket.terminate();
    const customer = suite.track(await resumeCustomer(node2.wsUrl, chat, lastSeq));

    // Both sides write at once, without waiting for each other: each node stores its side's messages.
    const sent: Array<Promise<unknown>> = [];
    for (let index = 1; index <= 10; index++) {
      sent.push(customer.request({ type: 'message', cmid: `c${index}`, text: `customer ${index}` }));
      sent.push(agent.request({ type: 'reply', sessionId, cmid: `a${index}`, text: `agent ${index}` }));
    }
    const answers = (await Promise.all(sent)) as Array<{ type: string; seq: number }>;
    assert.deepEqual(answers.map((answer) => answer.type), Array(20).fill('ack'));
    const last = Math.max(...answers.map((answer) => answer.seq));
    await seen(customer, sessionId, last);
    await seen(agent, sessionId, last);

    // Read through the third node: the store is the truth, and both sides saw exactly it.
    const stored = await storedMessages(node3.url, chat);
    assert.equal(stored.length, 20);
    const storedSince = stored.filter((line) => Number(line.split(':')[0]) > lastSeq);
    assert.deepEqual(messagesSeen([customer], sessionId), storedSince);
    assert.deepEqual(messagesSeen([agent], sessionId), stored);
    for (const client of [customer, agent]) {
      const seqs = seqsSeen([client], sessionId);
      assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'each event once, in seq order');
      assert.equal(seqs.at(-1)! - seqs[0]! + 1, seqs.length, 'no gap');
    }
  });

  it('N1: the newest socket of a chat or of an agent\'s browser wins across nodes: the older one, on another node, is closed with 4409', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2, node3] = [cluster.node(0), cluster.node(1), cluster.node(2)];
    const agent = await suite.connect(node1.wsUrl, await agentHello('ben', 'browser-ben-4409'));
    await agent.request({ type: 'presence', status: 'available' });
    const { customer: first, chat } = await startChat(agent, node1.wsUrl, 'browser-4409');
    suite.track(first);

    // The same chat resumed through another node (a new tab's socket, a network path that changed).
    const resumed = suite.track(await resumeCustomer(node2.wsUrl, chat, Math.max(...seqsSeen([first], chat.sessionId))));
    assert.equal((await first.closed).code, CLOSE.replaced);
    // The same agent in the same browser, through a third node.
    const agentAgain = await suite.connect(node3.wsUrl, await agentHello('ben', 'browser-ben-4409'));
    assert.equal((await agent.closed).code, CLOSE.replaced);

    // The newest sockets are the ones served.
    assert.equal((await resumed.request({ type: 'message', cmid: 'after-4409', text: 'still here' })).type, 'ack');
    await agentAgain.next((frame) => frame.type === 'event' && frame.sessionId === chat.sessionId && frame.event.kind === 'message' && (frame.event as { text: string }).text === 'still here');
  });

  it('N1: in test mode the nodes share one business time: moving the clock on one moves every node, and a restarted node joins it', LIMIT, async () => {
    const { cluster } = suite;
    const nowOf = async (url: string, advanceMs = 0) => {
      const response = await fetch(`${url}/test/clock`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs }) });
      assert.equal(response.status, 200);
      return ((await response.json()) as { now: number }).now;
    };
    const moved = await nowOf(cluster.node(0).url, 60 * 60_000);
    assert.deepEqual([await nowOf(cluster.node(1).url), await nowOf(cluster.node(2).url)], [moved, moved]);
    await cluster.node(2).kill('SIGKILL');
    const restarted = await cluster.restart(2);
    assert.equal(await nowOf(restarted.url), moved);
  });
});
