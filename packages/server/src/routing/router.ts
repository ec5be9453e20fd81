import type { StuckWork, WorkItem } from '@parley/protocol';
import type { ChatService, RoutingHooks } from '../chat/chat-service.js';
import type { PresenceEvent, PresenceState } from '../presence/presence-rules.js';
import { HEARTBEAT_MS, type PresenceService } from '../presence/presence-service.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { OfferRecord, PassRecord, SessionRecord } from '../store/store.js';
import { ServiceError, type ServiceContext } from '../service/context.js';
import { rankCandidates } from './candidates.js';
import { waitingList } from './waiting-list.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** How soon a failed routing pass is run again. */
export const ROUTING_RETRY_MS = SECOND;

/**
 * Queues, offers and who works on what. A queue per button, first come first
 * served (Q1): each Waiting session, oldest first, is offered to one
 * connected agent of the button's office who is Available with free
 * capacity (candidates.ts). An agent who missed or declined a session is not
 * offered it again for a cool-down, and after it only when nobody else can
 * take it; an agent back from a missed offer (reset, or Available by hand) may
 * be offered it at once. Passes live in the store, so they outlive a restart
 * and hold on every node. Capacity counts open and wrap-up work, never
 * consults (P4).
 */
export class Router implements RoutingHooks {
  chat!: ChatService;
  readonly #offerCounts = new Map<string, number>();
  /** The Waiting sessions as of the last pass: positions move only when this does. */
  #lastWaiting = '';
  /** The queue as agents last saw it (Q1). */
  #lastWaitingList = '';
  /** The last pass this node started, and the next one while it has not started (callers share it). */
  #tail: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  /** Store work the next pass runs first, in its transaction (misses forgotten before it ranks). */
  readonly #preludes: Array<() => Promise<void>> = [];
  /** Only the heartbeat's sweep asked for the queued pass (it warns when that pass offers an overdue session). */
  #onlySweepAsked = false;
  /** A pass after one that failed, on the clock. */
  #retry: (() => void) | undefined;
  #stopped = false;

  constructor(
    private readonly context: ServiceContext,
    private readonly presence: PresenceService,
  ) {
    const { deadlines } = context;
    deadlines.handle('offer-expiry', async ({ offerId }) => {
      const offer = await this.context.store.getOffer(offerId);
      if (!offer || !(await this.#withdraw(offer.id, offer.agentId, 'expired'))) return;
      await this.#pass(offer, 'missed');
      await this.presence.apply(offer.agentId, { type: 'missed', since: offer.createdAt });
      await this.route();
    });
    deadlines.handle('agent-grace', async ({ agentId }) => {
      if (await this.presence.connectedAnywhere(agentId)) return;
      // M4: the agent did not come back: their Active chats go to someone else.
      for (const work of await this.context.store.workOfAgent(agentId)) {
        const session = await this.chat.get(work.sessionId);
        if (work.phase === 'open' && session.state === 'active') await this.chat.transition(session, 'waiting', 'agent-lost');
      }
    });
    deadlines.handle('pass-cooldown', () => this.route());
    deadlines.handle('work-stuck', async ({ sessionId, agentId }) => {
      const work = (await this.context.store.workOfSession(sessionId)).find((candidate) => candidate.agentId === agentId);
      if (work?.phase === 'wrap-up') await this.closeWork(agentId, sessionId);
    });
  }

  /** Keeps this node's view of offers out in step with changes made on any node. */
  observe(event: DomainEvent): void {
    if (event.type !== 'offers-changed') return;
    this.#offerCounts.clear();
    for (const [agentId, count] of Object.entries(event.counts)) this.#offerCounts.set(agentId, count);
  }

  async agentsOf(sessionId: string): Promise<string[]> {
    return (await this.context.store.workOfSession(sessionId)).map((work) => work.agentId);
  }

  async waiting(_session: SessionRecord): Promise<void> {
    await this.route();
  }

  async released(session: SessionRecord): Promise<void> {
    if (!session.agentId) return;
    await this.context.store.removeWork(session.id, session.agentId);
    await this.#workChanged(session.agentId);
  }

  async ended(session: SessionRecord): Promise<void> {
    const { store, clock, deadlines } = this.context;
    for (const offer of await store.offersOfSession(session.id)) await this.#withdraw(offer.id, offer.agentId, 'cancelled');
    for (const work of await store.workOfSession(session.id)) {
      if (work.phase === 'consult') await store.removeWork(session.id, work.agentId);
      else {
        // P5: ended work holds capacity until the agent closes it, an admin releases it, or the bound passes.
        await store.putWork({ ...work, phase: 'wrap-up', since: clock.now() });
        await deadlines.set({ kind: 'work-stuck', sessionId: session.id, agentId: work.agentId }, clock.now() + this.context.config.presence.stuckWorkMinutes * MINUTE);
      }
      await this.#workChanged(work.agentId);
    }
    await store.removePasses({ sessionId: session.id });
    await this.route();
  }

  /** Resolves once every routing pass already asked for has run, without asking for another (tests wait on it). */
  async settled(): Promise<void> {
    for (let seen: Promise<void> | undefined; seen !== this.#tail; ) await (seen = this.#tail);
  }

  /**
   * Offers every Waiting session it can. Inside a transaction the pass joins it (and its failure
   * fails the caller's transaction, which retries or reports it); outside one, passes on this node
   * run one after another, each in a transaction of its own, and callers that ask while one is
   * queued share it.
   */
  route(): Promise<void> {
    return this.#ask(false);
  }

  /**
   * N1, Q1: a pass on the node's heartbeat, whatever changed. Every change that can free an agent
   * or make a session Waiting asks for a pass, and a failed pass is tried again; this is the net
   * under both, so that no Waiting session can wait for good while an agent could take it. It
   * warns when a pass only it asked for offers a session that had waited a heartbeat or more: a pass
   * was missed.
   */
  sweep(): Promise<void> {
    return this.#ask(true);
  }

  #ask(sweep: boolean): Promise<void> {
    const { store, log } = this.context;
    if (store.inTransaction()) return this.#route().then(() => undefined);
    // A change joining the queued pass makes its offers that change's, not the sweep's.
    if (this.#queued && !sweep) this.#onlySweepAsked = false;
    if (!this.#queued) {
      this.#onlySweepAsked = sweep;
      const queued: Promise<void> = this.#tail.then(async () => {
        if (this.#queued === queued) this.#queued = undefined;
        const preludes = this.#preludes.splice(0);
        const onlySweep = this.#onlySweepAsked;
        await store
          .transaction(async () => {
            for (const prelude of preludes) await prelude();
            return this.#route();
          })
          .then(
            (overdue) => {
              if (onlySweep && overdue > 0) log.warn({ offered: overdue }, 'the routing sweep offered Waiting sessions no earlier pass had offered');
            },
            (error: unknown) => {
              log.error({ err: error }, 'routing failed');
              // A failed pass (the store refused, no pooled connection in time) offered nothing, and
              // the change that asked for it will not ask again: its work waits for the next pass.
              this.#preludes.unshift(...preludes);
              this.#retrySoon();
            },
          );
      });
      this.#queued = queued;
      this.#tail = queued;
    }
    return this.#queued;
  }

  /** No more retries (the node stops). */
  stop(): void {
    this.#stopped = true;
    this.#retry?.();
    this.#retry = undefined;
  }

  #retrySoon(): void {
    if (this.#retry || this.#stopped) return;
    this.#retry = this.context.clock.setTimer(() => {
      this.#retry = undefined;
      void this.route();
    }, ROUTING_RETRY_MS);
  }

  /**
   * One transaction: the offer is deleted by compare-and-set (of two nodes accepting it at once, one
   * deletes it; the other answers `offer_gone`), and the session moves to Active under its row lock.
   */
  async accept(agentId: string, offerId: string): Promise<SessionRecord> {
    const { store, deadlines } = this.context;
    const accepted = await store.transaction(async () => {
      const offer = await store.getOffer(offerId);
      if (!offer || offer.agentId !== agentId || !(await store.deleteOffer(offer.id))) return undefined;
      await deadlines.clear({ kind: 'offer-expiry', offerId: offer.id });
      // Every node hears the offer counts without it before the capacity change the work makes, or
      // its availability would count the slot twice for a moment (P2: a flap).
      await this.#publishOfferCounts();
      const session = await store.lockSession(offer.sessionId);
      if (session?.state !== 'waiting') return 'not-waiting' as const;
      await store.putWork({ sessionId: session.id, agentId, phase: 'open', since: this.context.clock.now() });
      const agent = this.#agentRef(agentId);
      const previous = session.previousAgentId && session.previousAgentId !== agentId ? this.#agentRef(session.previousAgentId) : undefined;
      const active = await this.chat.transition(session, 'active', 'agent-accepted', { agentId });
      // M4: the customer is told the agent changed; the new agent already has the transcript via replay.
      await this.chat.append(active, previous ? { kind: 'agent-changed', agent, previous } : { kind: 'agent-joined', agent });
      await store.removePasses({ sessionId: session.id });
      await this.#workChanged(agentId);
      return session;
    });
    if (!accepted) throw new ServiceError('offer_gone', 'This offer has expired or was taken.');
    if (accepted === 'not-waiting') throw new ServiceError('offer_gone', 'This chat is no longer waiting.');
    await this.route();
    return this.chat.get(accepted.id);
  }

  async decline(agentId: string, offerId: string): Promise<void> {
    const { store } = this.context;
    const declined = await store.transaction(async () => {
      const offer = await store.getOffer(offerId);
      if (!offer || offer.agentId !== agentId || !(await this.#withdraw(offer.id, agentId, 'cancelled'))) return false;
      await this.#pass(offer, 'declined');
      await this.presence.apply(agentId, { type: 'declined', since: offer.createdAt });
      return true;
    });
    if (!declined) throw new ServiceError('offer_gone', 'This offer has expired or was taken.');
    await this.route();
  }

  /**
   * P4: joins a session as consultant: no capacity, no presence change. Only
   * agents of the session's office may, and only once an agent answered it.
   */
  async consult(agentId: string, sessionId: string): Promise<void> {
    const session = await this.chat.get(sessionId);
    const agent = this.context.config.agents.find((candidate) => candidate.id === agentId);
    if (!agent?.offices.includes(session.office)) throw new ServiceError('forbidden', 'You can consult only on chats of your own offices.');
    if (session.state === 'ended') throw new ServiceError('session_ended', 'This session has ended.');
    if (session.state === 'waiting') throw new ServiceError('bad_request', 'This chat is still waiting for an agent; it can be consulted once answered.');
    const existing = (await this.context.store.workOfSession(sessionId)).find((work) => work.agentId === agentId);
    if (!existing) await this.context.store.putWork({ sessionId, agentId, phase: 'consult', since: this.context.clock.now() });
    await this.#publishWork(agentId);
  }

  /** P5: the agent closes ended work, or an admin releases it. */
  async closeWork(agentId: string, sessionId: string): Promise<void> {
    const work = (await this.context.store.workOfSession(sessionId)).find((candidate) => candidate.agentId === agentId);
    if (!work) throw new ServiceError('not_assigned', 'No such work.');
    if (work.phase === 'open') throw new ServiceError('bad_request', 'End the session before closing its work.');
    await this.context.store.removeWork(sessionId, agentId);
    await this.context.deadlines.clear({ kind: 'work-stuck', sessionId, agentId });
    await this.#workChanged(agentId);
    await this.route();
  }

  /** P5: work that has ended but still holds capacity. */
  async stuckWork(): Promise<StuckWork[]> {
    return (await this.context.store.allWork()).filter((work) => work.phase === 'wrap-up').map(({ sessionId, agentId, since }) => ({ sessionId, agentId, since }));
  }

  /** The agent's last socket dropped: start the M4 grace for their Active chats. */
  async agentGone(agentId: string): Promise<void> {
    const due = this.context.clock.now() + this.context.config.routing.agentGraceSeconds * SECOND;
    await this.context.deadlines.set({ kind: 'agent-grace', agentId }, due);
  }

  async agentBack(agentId: string): Promise<void> {
    await this.context.deadlines.clear({ kind: 'agent-grace', agentId });
    void this.route();
    await this.#publishWork(agentId);
    for (const offer of await this.context.store.offersOfAgent(agentId)) {
      const session = await this.chat.get(offer.sessionId);
      this.context.emit({ type: 'offer-made', agentId, offer: { offerId: offer.id, sessionId: session.id, button: session.button, prechat: session.prechat, ...(session.identity ? { identity: session.identity } : {}), expiresAt: offer.expiresAt } });
    }
  }

  /** Offers out per agent, as of the last change (availability reads it synchronously). */
  offerCount = (agentId: string): number => this.#offerCounts.get(agentId) ?? 0;

  async #refreshOfferCounts(): Promise<void> {
    this.#setOfferCounts(await this.#storedOfferCounts());
  }

  /** Every configured agent's offers out, in one read. */
  async #storedOfferCounts(): Promise<Map<string, number>> {
    const stored = await this.context.store.offerCounts();
    return new Map(this.context.config.agents.map((agent) => [agent.id, stored[agent.id] ?? 0]));
  }

  /** In a transaction: the offer counts it leaves, told to every node (this one too) when it commits. */
  async #publishOfferCounts(): Promise<void> {
    this.context.emit({ type: 'offers-changed', counts: Object.fromEntries(await this.#storedOfferCounts()) });
  }

  #setOfferCounts(counts: ReadonlyMap<string, number>): void {
    const changed = counts.size !== this.#offerCounts.size || [...counts].some(([agentId, count]) => this.#offerCounts.get(agentId) !== count);
    this.#offerCounts.clear();
    for (const [agentId, count] of counts) this.#offerCounts.set(agentId, count);
    if (changed) this.context.emit({ type: 'offers-changed', counts: Object.fromEntries(counts) });
  }

  /**
   * One routing pass, in the caller's transaction. What makes it safe with every node routing at
   * once: the offices of the Waiting sessions are locked (in sorted order) before anything is
   * decided, and everything decided on is read from the store after the locks (presence, offers,
   * work), never from this node's memory; an agent about to be offered a session is locked too and
   * counted again, since an agent of several offices can be routed by passes holding other offices.
   * The unique offer per session in the store is the last line: a second offer would fail the pass.
   */
  async #route(): Promise<number> {
    const { store, clock, config } = this.context;
    /** Offers for sessions Waiting a heartbeat or more: what a pass should have offered before (see `sweep`). */
    let overdue = 0;
    const seen = await store.sessionsInState('waiting');
    const offices = [...new Set(seen.map((session) => session.office))].sort();
    for (const office of offices) await store.lockRouting(office);
    // Read again under the locks: what another node routed while this one waited is visible now.
    const waiting = offices.length > 0 ? await store.sessionsInState('waiting') : seen;
    const offered = await this.#storedOfferCounts();
    const agents = await this.#storedPresence();
    const connected = await this.presence.connectedAgents();
    const waitingKey = waiting.map((session) => session.id).join();
    if (waitingKey !== this.#lastWaiting) {
      this.#lastWaiting = waitingKey;
      this.context.emit({ type: 'queue-changed' });
    }
    const beingOffered = new Set<string>();
    for (const session of waiting) {
      if ((await store.offersOfSession(session.id)).length > 0) {
        beingOffered.add(session.id);
        continue;
      }
      // Waiting since this pass took its locks: the pass that made it Waiting routes it.
      if (!offices.includes(session.office)) continue;
      const chosen = await this.#choose(session, agents, offered, connected);
      if (!chosen) continue;
      beingOffered.add(session.id);
      const offer = { id: this.context.newId(), sessionId: session.id, agentId: chosen.agentId, createdAt: clock.now(), expiresAt: clock.now() + config.presence.offerTimeoutSeconds * SECOND };
      await store.putOffer(offer);
      await this.context.deadlines.set({ kind: 'offer-expiry', offerId: offer.id }, offer.expiresAt);
      offered.set(chosen.agentId, (offered.get(chosen.agentId) ?? 0) + 1);
      if (session.updatedAt <= clock.now() - HEARTBEAT_MS) overdue++;
      this.context.emit({ type: 'offer-made', agentId: chosen.agentId, offer: { offerId: offer.id, sessionId: session.id, button: session.button, prechat: session.prechat, ...(session.identity ? { identity: session.identity } : {}), expiresAt: offer.expiresAt } });
    }
    // Offers out change what buttons can promise; the counts built above are current.
    this.#setOfferCounts(offered);
    const entries = waitingList(waiting, beingOffered);
    const key = JSON.stringify(entries);
    if (key !== this.#lastWaitingList) {
      this.#lastWaitingList = key;
      this.context.emit({ type: 'waiting-list', entries });
    }
    return overdue;
  }

  /** The best agent for the session, locked and counted again from the store (see #route). */
  async #choose(session: SessionRecord, agents: Map<string, PresenceState>, offered: Map<string, number>, connected: Set<string>): Promise<PresenceState | undefined> {
    const { store, clock } = this.context;
    const passes = await store.passesOfSession(session.id);
    for (;;) {
      const [chosen] = rankCandidates({
        session,
        agents: [...agents.values()],
        // On any live node (N1): an agent whose sockets are all on another node is still there to answer.
        isConnected: (agentId) => connected.has(agentId),
        offered: (agentId) => offered.get(agentId) ?? 0,
        passes,
        now: clock.now(),
      });
      if (!chosen) return undefined;
      await store.lockAgent(chosen.agentId);
      const recounted = await this.#storedPresenceOf(chosen.agentId);
      const offers = (await store.offersOfAgent(chosen.agentId)).length;
      const unchanged = offers === (offered.get(chosen.agentId) ?? 0) && recounted.capacity.used === chosen.capacity.used && recounted.status === chosen.status;
      if (unchanged) return chosen;
      // Another office's pass changed this agent meanwhile: rank again with what is stored now.
      offered.set(chosen.agentId, offers);
      agents.set(chosen.agentId, recounted);
    }
  }

  /** Every agent's presence as stored, with the capacity in use counted from their stored work: two reads, whatever the number of agents. */
  async #storedPresence(): Promise<Map<string, PresenceState>> {
    const { store } = this.context;
    const stored = new Map((await store.presences()).map((state) => [state.agentId, state]));
    const workloads = await store.workloads();
    const agents = new Map<string, PresenceState>();
    for (const agent of this.context.config.agents) {
      const state = stored.get(agent.id) ?? this.presence.get(agent.id);
      agents.set(agent.id, { ...state, capacity: { ...state.capacity, used: workloads[agent.id] ?? 0 } });
    }
    return agents;
  }

  async #storedPresenceOf(agentId: string): Promise<PresenceState> {
    const { store } = this.context;
    const state = (await store.getPresence(agentId)) ?? this.presence.get(agentId);
    const used = (await store.workOfAgent(agentId)).filter((work) => work.phase !== 'consult').length;
    return { ...state, capacity: { ...state.capacity, used } };
  }

  /** Withdraws an offer once: false when another node (or call) already did. */
  async #withdraw(offerId: string, agentId: string, reason: 'taken' | 'expired' | 'cancelled'): Promise<boolean> {
    if (!(await this.context.store.deleteOffer(offerId))) return false;
    await this.context.deadlines.clear({ kind: 'offer-expiry', offerId });
    this.context.emit({ type: 'offer-withdrawn', agentId, offerId, reason });
    await this.#refreshOfferCounts();
    return true;
  }

  /** Q1: the agent passed on the session; routing looks again when the cool-down is over. */
  async #pass(offer: OfferRecord, reason: PassRecord['reason']): Promise<void> {
    const at = this.context.clock.now();
    const until = at + this.context.config.routing.passCooldownSeconds * SECOND;
    await this.context.store.putPass({ sessionId: offer.sessionId, agentId: offer.agentId, reason, at, until });
    await this.context.deadlines.set({ kind: 'pass-cooldown', sessionId: offer.sessionId, agentId: offer.agentId }, until);
  }

  /**
   * Q1: an agent back by their own hand after a missed offer (reset, or Available chosen) is
   * there to take work: their misses no longer hold them back, so the oldest session comes first.
   */
  presenceChanged(state: PresenceState, event: PresenceEvent): Promise<void> {
    const available = (status: string) => status === 'available' || this.context.config.customStatuses.some((custom) => custom.id === status && custom.base === 'available');
    const back = event.type === 'reset' || (event.type === 'set' && available(event.status));
    const { store } = this.context;
    // Queued at once (so `settled` waits for it); the misses are forgotten in the pass, before it ranks.
    const queue = () => {
      if (back) this.#preludes.push(() => store.removePasses({ agentId: state.agentId, reason: 'missed' }));
      return this.route();
    };
    if (!store.inTransaction()) return queue();
    // Called from inside a transaction that does not wait for routing: route once it commits.
    store.afterCommit(() => void queue());
    return Promise.resolve();
  }

  workChanged(agentId: string): Promise<void> {
    return this.#workChanged(agentId);
  }

  async #workChanged(agentId: string): Promise<void> {
    const used = (await this.context.store.workOfAgent(agentId)).filter((work) => work.phase !== 'consult').length;
    const agent = this.context.config.agents.find((candidate) => candidate.id === agentId);
    await this.presence.apply(agentId, { type: 'capacity', used, total: agent?.capacity ?? 1 });
    await this.#publishWork(agentId);
  }

  async #publishWork(agentId: string): Promise<void> {
    this.context.emit({ type: 'work-changed', agentId, items: await this.workItems(agentId) });
  }

  async workItems(agentId: string): Promise<WorkItem[]> {
    const items: WorkItem[] = [];
    for (const work of await this.context.store.workOfAgent(agentId)) {
      // One read per item: the session record carries its last seq.
      const session = await this.chat.get(work.sessionId);
      items.push({ sessionId: session.id, button: session.button, state: session.state, phase: work.phase, prechat: session.prechat, ...(session.identity ? { identity: session.identity } : {}), lastSeq: session.lastSeq });
    }
    return items;
  }

  #agentRef(agentId: string): { id: string; name: string } {
    return { id: agentId, name: this.context.config.agents.find((agent) => agent.id === agentId)?.name ?? agentId };
  }
}
