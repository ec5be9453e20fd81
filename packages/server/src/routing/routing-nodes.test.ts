import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { TestClient } from '../test-support/test-client.js';
import { startTestNodes, type TestNodes } from '../test-support/test-nodes.js';

/** Many chats and frames from one test address, fast: the rate limits are not what these tests are about. */
const ROOMY_LIMITS = { framesPerSecond: 1000, frameBurst: 10_000, chatStartsPerAddress: 100_000, chatStartsPerBrowser: 1000, connectionsPerAddress: 100_000, addressFramesPerSecond: 100_000, addressFrameBurst: 1_000_000, waitingPerButton: 1000 };
/** Agents of one office and of both: passes holding different offices can reach the same agent. */
const AGENTS = [
  { id: 'ana', name: 'Ana', offices: ['north', 'south'], capacity: 2 },
  { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1 },
  { id: 'cy', name: 'Cy', offices: ['south'], capacity: 1 },
  { id: 'dee', name: 'Dee', offices: ['north', 'south'], capacity: 1 },
];
const CAPACITY = AGENTS.reduce((total, agent) => total + agent.capacity, 0);
const CUSTOMERS = 30;

describe('N1: routing with every node routing at once', { timeout: 180_000 }, () => {
  let cluster: TestNodes;
  afterEach(() => cluster.close());

  /** Every agent with a socket on every node (tabs behind a balancer), Available. */
  async function agentsEverywhere(): Promise<Map<string, TestClient[]>> {
    const sockets = new Map<string, TestClient[]>();
    for (const agent of AGENTS) {
      const tabs: TestClient[] = [];
      for (const [index, node] of cluster.nodes.entries()) tabs.push(await node.agent(agent.id, `browser-${agent.id}-${index}`));
      // On every node: each node's availability for its own customers comes from what it heard.
      for (const tab of tabs) await tab.request({ type: 'presence', status: 'available' });
      sockets.set(agent.id, tabs);
    }
    return sockets;
  }

  /** Customers start at once, spread over the nodes and both buttons; resolves with their session ids. */
  async function customersAtOnce(): Promise<string[]> {
    const started = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, index) => {
        const node = cluster.nodes[index % cluster.nodes.length]!;
        const customer = await node.customer(`browser-c${index}`, { button: index % 2 === 0 ? 'sales' : 'support' });
        const answer = await customer.request({ type: 'start', prechat: { name: `c${index}` } });
        assert.equal(answer.type, 'result', JSON.stringify(answer));
        return (answer.data as { sessionId: string }).sessionId;
      }),
    );
    // Whatever passes are still queued on any node finish here.
    await Promise.all(cluster.nodes.map((node) => node.server.service.router.route()));
    return started;
  }

  it('N1, Q1: many customers on three nodes, every node routing: no session offered twice, no agent over capacity, no pass failed', async () => {
    cluster = await startTestNodes(3, { agents: AGENTS, limits: ROOMY_LIMITS });
    const sockets = await agentsEverywhere();
    const sessions = await customersAtOnce();
    const store = cluster.stores[0]!;

    const offerIdsBySession = new Map<string, Set<string>>();
    for (const tabs of sockets.values()) {
      for (const frame of tabs.flatMap((tab) => tab.frames.filter((candidate) => candidate.type === 'offer'))) {
        const ids = offerIdsBySession.get(frame.sessionId as string) ?? new Set<string>();
        offerIdsBySession.set(frame.sessionId as string, ids.add(frame.offerId as string));
      }
    }
    for (const [sessionId, ids] of offerIdsBySession) assert.equal(ids.size, 1, `session ${sessionId} was offered ${ids.size} times`);
    for (const sessionId of sessions) assert.ok((await store.offersOfSession(sessionId)).length <= 1);

    let held = 0;
    for (const agent of AGENTS) {
      const offers = (await store.offersOfAgent(agent.id)).length;
      const work = (await store.workOfAgent(agent.id)).filter((item) => item.phase !== 'consult').length;
      assert.ok(offers + work <= agent.capacity, `${agent.id} holds ${offers} offers and ${work} chats with capacity ${agent.capacity}`);
      held += offers + work;
    }
    // Q1 across nodes: with more customers than slots, every slot holds an offer.
    assert.equal(held, CAPACITY);
    assert.deepEqual(cluster.errors(), []);
  });

  it('N1, Q1: two nodes routing the same Waiting sessions at once: one offer each, and neither pass fails', async () => {
    cluster = await startTestNodes(2, { agents: [{ id: 'ana', name: 'Ana', offices: ['north'], capacity: 40 }, { id: 'ben', name: 'Ben', offices: ['north'], capacity: 40 }], limits: ROOMY_LIMITS });
    for (const agentId of ['ana', 'ben']) for (const node of cluster.nodes) await (await node.agent(agentId, `browser-${agentId}-${cluster.nodes.indexOf(node)}`)).request({ type: 'presence', status: 'available' });
    const store = cluster.stores[0]!;
    for (let round = 0; round < 20; round++) {
      // Stored as a start on some node would store it; both nodes then route at the same moment.
      const id = `race-${round}`;
      await store.createSession({ id, button: 'sales', office: 'north', browserId: `browser-${id}`, state: 'waiting', origin: 'customer', prechat: {}, agentId: null, previousAgentId: null, lastSeq: 0, awaitingReply: false, awaitingFirstReply: false, createdAt: cluster.clock.now(), updatedAt: cluster.clock.now(), startId: null });
      await Promise.all(cluster.nodes.map((node) => node.server.service.router.route()));
      assert.equal((await store.offersOfSession(id)).length, 1, `round ${round}: one offer`);
    }
    assert.deepEqual(cluster.errors(), []);
  });

  it('N1: one offer accepted from two nodes at once (two tabs) is taken once: one chat, one agent-joined, the other tab told the offer is gone', async () => {
    cluster = await startTestNodes(2, { agents: AGENTS.slice(1, 2), limits: ROOMY_LIMITS });
    const [first, second] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      const tabs = [await first.agent('ben', `ben-a${round}`), await second.agent('ben', `ben-b${round}`)];
      if (round === 0) await tabs[0]!.request({ type: 'presence', status: 'available' });
      const customer = await first.customer(`browser-r${round}`);
      const sessionId = ((await customer.request({ type: 'start', prechat: { name: 'Dana' } })).data as { sessionId: string }).sessionId;
      await first.server.service.router.route();
      const [offer] = await cluster.stores[0]!.offersOfSession(sessionId);
      assert.ok(offer, `round ${round}: the session is offered (${JSON.stringify(await cluster.stores[0]!.getPresence('ben'))} ${JSON.stringify(await cluster.stores[0]!.workOfAgent('ben'))} ${JSON.stringify(cluster.errors())})`);
      const answers = await Promise.all(tabs.map((tab) => tab.request({ type: 'accept', offerId: offer.id })));
      assert.deepEqual(answers.map((answer) => (answer.type === 'error' ? answer.code : answer.type)).sort(), ['offer_gone', 'result']);
      const joined = (await cluster.stores[1]!.eventsAfter(sessionId, 0)).filter((event) => event.event.kind === 'agent-joined' || event.event.kind === 'agent-changed');
      assert.equal(joined.length, 1);
      assert.deepEqual((await cluster.stores[0]!.workOfAgent('ben')).map((work) => work.sessionId), [sessionId]);
      // Free Ben for the next round.
      await first.server.service.chat.end(sessionId, 'agent-ended');
      await first.server.service.router.closeWork('ben', sessionId);
      for (const tab of tabs) tab.socket.terminate();
    }
    assert.deepEqual(cluster.errors(), []);
  });
});
