import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { TestClient } from '../test-support/test-client.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

const SECOND = 1000;
const OFFER_TIMEOUT = 30 * SECOND;
const COOLDOWN = 60 * SECOND;
/** Many chats and frames from one test address, fast: the rate limits are not what these tests are about. */
const ROOMY_LIMITS = { framesPerSecond: 1000, frameBurst: 10_000, chatStartsPerAddress: 100_000, chatStartsPerBrowser: 1000, connectionsPerAddress: 100_000, addressFramesPerSecond: 100_000, addressFrameBurst: 1_000_000 };

async function start(service: TestService, browserId: string): Promise<{ customer: TestClient; sessionId: string | undefined }> {
  const customer = await service.customer(browserId);
  const started = await customer.request({ type: 'start', prechat: { name: browserId } });
  return { customer, sessionId: started.type === 'result' ? (started.data as { sessionId: string }).sessionId : undefined };
}

const nextOffer = (agent: TestClient) => agent.next((frame) => frame.type === 'offer');
const offersOf = (service: TestService, agentId: string) => service.server.service.context.store.offersOfAgent(agentId);

/**
 * Q1 as the property it is, stated apart from the router's code: a Waiting
 * session with no offer out means no agent could take it, that is no agent
 * who is connected, Available for the session's office, below capacity
 * counting the offers they hold, and not in the cool-down of a pass on it.
 */
async function strandedSessions(service: TestService): Promise<string[]> {
  const { context, presence } = service.server.service;
  const { store, clock } = context;
  const stranded: string[] = [];
  for (const session of await store.sessionsInState('waiting')) {
    if ((await store.offersOfSession(session.id)).length > 0) continue;
    const passes = await store.passesOfSession(session.id);
    for (const agent of presence.all()) {
      const held = (await store.offersOfAgent(agent.agentId)).length;
      const coolingDown = passes.some((pass) => pass.agentId === agent.agentId && pass.until > clock.now());
      const free = agent.intent === 'available' && agent.offices[session.office] === 'available' && agent.capacity.used + held < agent.capacity.total;
      if (presence.isConnected(agent.agentId) && free && !coolingDown) stranded.push(`${session.id} waits while ${agent.agentId} has a free slot`);
    }
  }
  return stranded;
}

/** A small seeded generator (mulberry32): the same seed replays the same run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the fair queue (Q1)', { timeout: 120_000 }, () => {
  let service: TestService;
  afterEach(() => service.close());

  it('Q1, P10: the only agent misses an offer and resets: the first customer is offered first, not a newer one', async () => {
    service = await startTestService({ agents: [{ id: 'ana', name: 'Ana', offices: ['north'], capacity: 1 }], limits: ROOMY_LIMITS });
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const first = await start(service, 'browser-first');
    assert.equal((await nextOffer(ana)).sessionId, first.sessionId);
    await service.advance(OFFER_TIMEOUT + SECOND);
    assert.equal(service.server.service.presence.view('ana').reason.cause, 'missed');
    // Ana resets at once, well inside the cool-down: she is back to take work, and the queue is first come, first served.
    // The reset itself routes: nothing else is asked to.
    const offeredAgain = nextOffer(ana);
    await ana.request({ type: 'reset-presence' });
    assert.equal((await offeredAgain).sessionId, first.sessionId);
    assert.deepEqual((await offersOf(service, 'ana')).map((held) => held.sessionId), [first.sessionId]);
    const second = await start(service, 'browser-second');
    assert.ok(second.sessionId);
    await service.server.service.router.settled();
    assert.deepEqual((await offersOf(service, 'ana')).map((held) => held.sessionId), [first.sessionId]);
    const position = await second.customer.next((frame) => frame.type === 'queue');
    assert.equal(position.position, 2);
    assert.deepEqual(await strandedSessions(service), []);
  });

  it('Q1, P10: a declined session goes to someone else first; back to the agent who declined only when nobody else can take it, after the cool-down', async () => {
    service = await startTestService({ limits: ROOMY_LIMITS });
    const ana = await service.agent('ana');
    const ben = await service.agent('ben');
    await ana.request({ type: 'presence', status: 'available' });
    await ben.request({ type: 'presence', status: 'available' });
    const first = await start(service, 'browser-first');
    const toAna = await nextOffer(ana);
    assert.equal(toAna.sessionId, first.sessionId);
    await ana.request({ type: 'decline', offerId: toAna.offerId });
    const toBen = await nextOffer(ben);
    assert.equal(toBen.sessionId, first.sessionId);
    await ben.request({ type: 'decline', offerId: toBen.offerId });
    // Both passed on it: nobody is offered it during the cool-down, but a newer customer still is.
    const second = await start(service, 'browser-second');
    assert.equal((await nextOffer(ana)).sessionId, second.sessionId);
    assert.equal((await service.server.service.context.store.offersOfSession(first.sessionId!)).length, 0);
    assert.deepEqual(await strandedSessions(service), []);
    // After the cool-down nobody else can take it: it comes back to one who passed (the least busy, Ben).
    await service.advance(COOLDOWN);
    assert.deepEqual((await service.server.service.context.store.offersOfSession(first.sessionId!)).map((held) => held.agentId), ['ben']);
  });

  it('Q1: passes are kept in the store: a restarted service still holds the cool-down, and routes when it ends', async () => {
    service = await startTestService({ limits: ROOMY_LIMITS, agents: [{ id: 'ana', name: 'Ana', offices: ['north'], capacity: 2 }] });
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const first = await start(service, 'browser-first');
    const offer = await nextOffer(ana);
    await ana.request({ type: 'decline', offerId: offer.offerId });
    const { store } = service.server.service.context;
    assert.deepEqual((await store.passesOfSession(first.sessionId!)).map((pass) => [pass.agentId, pass.reason]), [['ana', 'declined']]);
    const due = (await store.nextDeadline())!;
    assert.deepEqual([due.subject, due.kind], [`pass:${first.sessionId}:ana`, 'cool-down']);
  });

  it('Q1: agents see the queue of their offices, oldest first, with which chat is being offered, as it changes', async () => {
    service = await startTestService({
      limits: ROOMY_LIMITS,
      agents: [
        { id: 'ana', name: 'Ana', offices: ['north', 'south'], capacity: 2 },
        { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1 },
        { id: 'cleo', name: 'Cleo', offices: ['south'], capacity: 1 },
      ],
    });
    const ana = await service.agent('ana');
    const ben = await service.agent('ben');
    const cleo = await service.agent('cleo');
    await ben.request({ type: 'presence', status: 'available' });
    const first = await start(service, 'browser-first');
    const second = await start(service, 'browser-second');
    const list = (client: TestClient, size: number) => client.next((frame) => frame.type === 'waiting-list' && (frame.entries as unknown[]).length === size);
    const seen = (await list(ana, 2)).entries as Array<{ sessionId: string; button: string; position: number; prechat: Record<string, string>; offered: boolean }>;
    assert.deepEqual(
      seen.map((entry) => [entry.sessionId, entry.button, entry.position, entry.prechat.name, entry.offered]),
      [
        [first.sessionId, 'sales', 1, 'browser-first', true],
        [second.sessionId, 'sales', 2, 'browser-second', false],
      ],
    );
    assert.equal(((await list(ben, 2)).entries as unknown[]).length, 2);
    // Cleo works for the other office only: she sees none of it.
    assert.deepEqual(cleo.frames.filter((frame) => frame.type === 'waiting-list').map((frame) => (frame.entries as unknown[]).length), [0]);
    await ben.request({ type: 'accept', offerId: (await nextOffer(ben)).offerId });
    // Once the first is taken, the second moves up to first place.
    const after = await ana.next((frame) => frame.type === 'waiting-list' && (frame.entries as Array<{ sessionId: string }>).every((entry) => entry.sessionId === second.sessionId) && (frame.entries as unknown[]).length === 1);
    assert.deepEqual((after.entries as Array<{ position: number }>).map((entry) => entry.position), [1]);
  });

  for (const seed of [1, 7, 42, 2026]) {
    it(`Q1, P10: property (seed ${seed}): three agents, customers arriving, missed and declined offers, resets, ends: no Waiting session is ever left while an eligible agent has a free slot`, async () => {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
      service = await startTestService({
        agents: [
          { id: 'ana', name: 'Ana', offices: ['north'], capacity: 2 },
          { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1 },
          { id: 'cleo', name: 'Cleo', offices: ['north', 'south'], capacity: 1 },
        ],
        presence: { declineSetsAway: seed % 2 === 0 },
        lifecycle: { customerInactivityMinutes: null },
        limits: ROOMY_LIMITS,
      });
      const agents = new Map<string, TestClient>();
      for (const agentId of ['ana', 'ben', 'cleo']) agents.set(agentId, await service.agent(agentId));
      const customers: Array<{ customer: TestClient; sessionId: string }> = [];
      const { store } = service.server.service.context;
      const log: string[] = [];
      const startChat = async () => {
        const started = await start(service, `browser-${customers.length}-${seed}`);
        if (started.sessionId) customers.push({ customer: started.customer, sessionId: started.sessionId });
      };
      const actions: Array<() => Promise<void>> = [
        startChat,
        startChat,
        async () => {
          const started = await start(service, `browser-${customers.length}-${seed}`);
          if (started.sessionId) customers.push({ customer: started.customer, sessionId: started.sessionId });
        },
        async () => void (await agents.get(pick(['ana', 'ben', 'cleo'])!)!.request({ type: 'presence', status: 'available' })),
        async () => void (await agents.get(pick(['ana', 'ben', 'cleo'])!)!.request({ type: 'presence', status: 'away' })),
        async () => void (await agents.get(pick(['ana', 'ben', 'cleo'])!)!.request({ type: 'reset-presence' })),
        async () => {
          const agentId = pick(['ana', 'ben', 'cleo'])!;
          const offer = pick(await offersOf(service, agentId));
          if (offer) await agents.get(agentId)!.request({ type: 'decline', offerId: offer.id });
        },
        async () => {
          const agentId = pick(['ana', 'ben', 'cleo'])!;
          const offer = pick(await offersOf(service, agentId));
          if (offer) await agents.get(agentId)!.request({ type: 'accept', offerId: offer.id });
        },
        async () => {
          const agentId = pick(['ana', 'ben', 'cleo'])!;
          const work = pick((await store.workOfAgent(agentId)).filter((item) => item.phase === 'open'));
          if (!work) return;
          await agents.get(agentId)!.request({ type: 'end-session', sessionId: work.sessionId });
          await agents.get(agentId)!.request({ type: 'close-work', sessionId: work.sessionId });
        },
        async () => {
          const waiting = pick(customers);
          if (waiting) await waiting.customer.request({ type: 'end' });
        },
        () => service.advance(OFFER_TIMEOUT + SECOND),
        () => service.advance(COOLDOWN),
        () => service.advance(5 * SECOND),
      ];
      const names = ['start', 'start', 'start', 'available', 'away', 'reset', 'decline', 'accept', 'end+close', 'customer ends', 'offers expire', 'cool-downs end', '5 s pass'];
      let offeredAgain = 0;
      for (let step = 0; step < 120; step++) {
        const index = Math.floor(random() * actions.length);
        log.push(names[index]!);
        await actions[index]!();
        // Only the routing the step itself asked for: a step that forgot to route leaves a session stranded here.
        await service.server.service.router.settled();
        assert.deepEqual(await strandedSessions(service), [], `after steps: ${log.join(', ')}`);
        for (const { sessionId } of customers) {
          const passes = await store.passesOfSession(sessionId);
          const offer = (await store.offersOfSession(sessionId))[0];
          if (offer && passes.some((pass) => pass.agentId === offer.agentId)) offeredAgain++;
        }
      }
      // Then the agents work the queue down: back, accepting what they are offered, finishing chats.
      // Sessions every agent passed on come back to them once the cool-downs end, so the queue empties.
      const leftAfterRun = (await store.sessionsInState('waiting')).length;
      for (let round = 0; round < 12 && (await store.sessionsInState('waiting')).length > 0; round++) {
        for (const [agentId, agent] of agents) {
          await agent.request({ type: 'reset-presence' });
          for (const offer of await offersOf(service, agentId)) await agent.request({ type: 'accept', offerId: offer.id });
          for (const work of (await store.workOfAgent(agentId)).filter((item) => item.phase === 'open')) {
            await agent.request({ type: 'end-session', sessionId: work.sessionId });
            await agent.request({ type: 'close-work', sessionId: work.sessionId });
          }
          await service.server.service.router.settled();
          assert.deepEqual(await strandedSessions(service), []);
        }
        await service.advance(COOLDOWN);
      }
      assert.deepEqual(await store.sessionsInState('waiting'), []);
      console.log(`seed ${seed}: ${customers.length} chats, ${leftAfterRun} waiting after the run (every agent full or cooling down), all answered after; ${offeredAgain} checks saw a session offered back to an agent who had passed on it`);
    });
  }
});
