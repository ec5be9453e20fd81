import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, useCluster, within } from '../test-support/cluster-suite.js';
import { admin, agentHello, startChat } from '../test-support/cluster-chat.js';

describe('ratings and read receipts on three nodes', LIMIT, () => {
  const suite = useCluster();

  it('I3, I4, N1: a receipt and a rating cross nodes (customer on one, agent on another), and the report reads the same on a third', LIMIT, async () => {
    const { cluster } = suite;
    const [node1, node2, node3] = [cluster.node(0), cluster.node(1), cluster.node(2)];
    const agent = await suite.connect(node1.wsUrl, await agentHello('ana', 'browser-ana-receipts'));
    await agent.request({ type: 'presence', status: 'available' });
    const { customer, chat } = await startChat(agent, node2.wsUrl, 'browser-receipts', { whenOnline: true });
    suite.track(customer);
    const { sessionId } = chat;

    const ack = await customer.request({ type: 'message', cmid: 'c1', text: 'Hello from node 2' });
    const heard = within('the agent read, on the customer\'s node', customer.next((frame) => frame.type === 'receipt' && frame.by === 'agent'));
    await agent.request({ type: 'receipt', sessionId, delivered: ack.seq, read: ack.seq });
    assert.deepEqual(await heard, { type: 'receipt', sessionId, by: 'agent', delivered: ack.seq, read: ack.seq });

    await customer.request({ type: 'end' });
    const rated = within('the rating, on the agent\'s node', agent.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'rating'));
    assert.equal((await customer.request({ type: 'rate', score: 5, comment: 'Across nodes' })).type, 'result');
    assert.deepEqual((await rated).event, { kind: 'rating', score: 5, comment: 'Across nodes' });
    const report = (await (await admin(node3.url, 'GET', '/admin/ratings')).json()) as { ratings: Array<{ sessionId: string; score: number }> };
    assert.deepEqual(report.ratings.map((rating) => [rating.sessionId, rating.score]), [[sessionId, 5]]);
  });
});
