import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_LIMIT as LIMIT, ROOMY_LIMITS, until, useCluster } from '../test-support/cluster-suite.js';
import { agentHello } from '../test-support/cluster-chat.js';
import type { TestClient } from '../test-support/test-client.js';

const ROUNDS = 6;
/** Per round: three agents, one per node, of one office or both, so passes holding different offices meet at the same agent. */
const AGENTS = Array.from({ length: ROUNDS }, (_, round) => [
  { id: `a${round}`, name: `A${round}`, offices: ['north', 'south'], capacity: 4 },
  { id: `b${round}`, name: `B${round}`, offices: ['north'], capacity: 3 },
  { id: `c${round}`, name: `C${round}`, offices: ['north', 'south'], capacity: 4 },
]);
const ROUND_CAPACITY = 11;
/** Available and full before the rounds: a queue is open only while some agent is Available (C2). */
const KEEPER = { id: 'keeper', name: 'Keeper', offices: ['north', 'south'], capacity: 2 };
const CUSTOMERS = 80;

describe('routing with every node of a cluster routing at once', LIMIT, () => {
  const suite = useCluster(() => ({ overrides: { agents: [KEEPER, ...AGENTS.flat()], limits: ROOMY_LIMITS } }));

  it('N1, Q1: customers waiting through the balancer, then agents on all three nodes Available at the same moment (every node routing the same queue): no session offered twice, no agent over capacity, no pass failed', LIMIT, async () => {
    const { cluster } = suite;
    const store = await cluster.store();
    // Agents sign in Offline (A1), each with a tab on the node of their place in the round.
    const tabs = new Map<string, TestClient>();
    for (const group of AGENTS) for (const [index, agent] of group.entries()) tabs.set(agent.id, await suite.connect(cluster.node(index).wsUrl, await agentHello(agent.id)));
    const held = async () => {
      let total = 0;
      for (const agent of [KEEPER, ...AGENTS.flat()]) total += (await store.offersOfAgent(agent.id)).length + (await store.workOfAgent(agent.id)).length;
      return total;
    };

    const sessions: string[] = [];
    const landed = new Set<string>();
    const start = async (browserId: string, button: string) => {
      const customer = await suite.connect(cluster.balancer.wsUrl, { role: 'customer', browserId, button });
      landed.add(String(customer.upgradeHeaders['x-parley-node']));
      return customer;
    };
    // The keeper takes the first two chats and is full: from then on new chats wait in the queue.
    const keeper = await suite.connect(cluster.node(0).wsUrl, await agentHello(KEEPER.id));
    tabs.set(KEEPER.id, keeper);
    await keeper.request({ type: 'presence', status: 'available' });
    for (const button of ['sales', 'support']) {
      const customer = await start(`browser-${button}`, button);
      // Once its node has heard the keeper is Available (over the bus, when not the keeper's node).
      await customer.next((frame) => frame.type === 'availability' && frame.online === true);
      const answer = await customer.request({ type: 'start', prechat: { name: button } });
      assert.equal(answer.type, 'result', JSON.stringify(answer));
      sessions.push((answer.data as { sessionId: string }).sessionId);
    }
    await until('the keeper holds two offers', async () => (await held()) === KEEPER.capacity);
    // A long queue: more customers than all the rounds' places start through HAProxy (round robin over
    // the nodes, both buttons) and wait. Every routing pass reads the whole queue.
    const customers = await Promise.all(Array.from({ length: CUSTOMERS }, (_, index) => start(`browser-${index}`, index % 2 === 0 ? 'sales' : 'support')));
    const answers = await Promise.all(customers.map((customer, index) => customer.request({ type: 'start', prechat: { name: `c${index}` } })));
    assert.deepEqual(answers.map((answer) => answer.type), Array(CUSTOMERS).fill('result'), JSON.stringify(answers.find((answer) => answer.type !== 'result')));
    sessions.push(...answers.map((answer) => (answer.data as { sessionId: string }).sessionId));
    assert.equal(await held(), KEEPER.capacity, 'nobody free took a chat');

    for (const [round, group] of AGENTS.entries()) {
      // The round's three agents go Available at the same moment, one on each node: each node routes the same queue at once.
      const available = await Promise.all(group.map((agent) => tabs.get(agent.id)!.request({ type: 'presence', status: 'available' })));
      assert.deepEqual(available.map((answer) => answer.type), ['result', 'result', 'result']);
      const state = async () => ({
        load: Object.fromEntries(await Promise.all([KEEPER, ...AGENTS.flat()].map(async (agent) => [agent.id, `${(await store.offersOfAgent(agent.id)).length}+${(await store.workOfAgent(agent.id)).length}/${agent.capacity} ${(await store.getPresence(agent.id))?.status}`]))),
        waitingWithoutOffer: (await Promise.all((await store.sessionsInState('waiting')).map(async (session) => ((await store.offersOfSession(session.id)).length === 0 ? session.office : '')))).filter(Boolean).length,
        errors: [0, 1, 2].flatMap((index) => cluster.errors(index)),
      });
      await until(`round ${round}: ${KEEPER.capacity + (round + 1) * ROUND_CAPACITY} places hold an offer`, async () => (await held()) >= KEEPER.capacity + (round + 1) * ROUND_CAPACITY, 30_000, state);
      assert.deepEqual([0, 1, 2].flatMap((index) => cluster.errors(index)), [], `round ${round}: no routing pass failed`);
    }
    assert.deepEqual([...landed].sort(), ['node1', 'node2', 'node3'], 'customers started on every node');

    // No agent over capacity, and each offer reached its agent's tab.
    for (const agent of [KEEPER, ...AGENTS.flat()]) {
      const offers = await store.offersOfAgent(agent.id);
      const work = await store.workOfAgent(agent.id);
      assert.ok(offers.length + work.length <= agent.capacity, `${agent.id} holds ${offers.length} offers and ${work.length} chats with capacity ${agent.capacity}`);
      for (const offer of offers) await tabs.get(agent.id)!.next((frame) => frame.type === 'offer' && frame.offerId === offer.id);
    }
    assert.equal(await held(), KEEPER.capacity + ROUNDS * ROUND_CAPACITY, 'Q1: every place holds an offer, none more');
    for (const sessionId of sessions) assert.ok((await store.offersOfSession(sessionId)).length <= 1, `session ${sessionId} has two offers`);
    // What the agents were told: one offer per session, whichever node made it.
    const offerIds = new Map<string, Set<string>>();
    for (const frame of [...tabs.values()].flatMap((tab) => tab.frames.filter((candidate) => candidate.type === 'offer'))) {
      offerIds.set(frame.sessionId as string, (offerIds.get(frame.sessionId as string) ?? new Set()).add(frame.offerId as string));
    }
    for (const [sessionId, ids] of offerIds) assert.equal(ids.size, 1, `session ${sessionId} was offered ${ids.size} times`);
    assert.equal(offerIds.size, KEEPER.capacity + ROUNDS * ROUND_CAPACITY);
    assert.deepEqual([0, 1, 2].flatMap((index) => cluster.errors(index)), []);
  });
});
