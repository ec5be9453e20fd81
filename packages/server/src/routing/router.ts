import type { StuckWork, WorkItem } from '@parley/protocol';
import type { ChatService, RoutingHooks } from '../chat/chat-service.js';
import { canTakeWork } from '../presence/presence-rules.js';
import type { PresenceService } from '../presence/presence-service.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { SessionRecord } from '../store/store.js';
import { ServiceError, type ServiceContext } from '../service/context.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Queues, offers and who works on what. A queue per button, first come first
 * served; each Waiting session is offered to one Available agent of the
 * button's office with free capacity, the previous agent first (S3), else the
 * least busy. Capacity counts open and wrap-up work, never consults (P4).
 */
export class Router implements RoutingHooks {
  chat!: ChatService;
  /** Agents who declined or missed a session are not offered it again. */
  readonly #passed = new Map<string, Set<string>>();
  readonly #offerCounts = new Map<string, number>();
  /** The Waiting sessions as of the last pass: positions move only when this does. */
  #lastWaiting = '';
  #routing: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: ServiceContext,
    private readonly presence: PresenceService,
  ) {
    const { deadlines } = context;
    deadlines.handle('offer-expiry', async ({ offerId }) => {
      const offer = await this.context.store.getOffer(offerId);
      if (!offer) return;
      await this.#withdraw(offer.id, offer.agentId, 'expired');
      this.#pass(offer.sessionId, offer.agentId);
      await this.presence.apply(offer.agentId, { type: 'missed', since: offer.createdAt });
      await this.route();
    });
    deadlines.handle('agent-grace', async ({ agentId }) => {
      if (this.presence.isConnected(agentId)) return;
      // M4: the agent did not come back: their Active chats go to someone else.
      for (const work of await this.context.store.workOfAgent(agentId)) {
        const session = await this.chat.get(work.sessionId);
        if (work.phase === 'open' && session.state === 'active') await this.chat.transition(session, 'waiting', 'agent-lost');
      }
    });
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
    this.#passed.delete(session.id);
    await this.route();
  }

  /** Offers every Waiting session it can; runs one at a time. */
  route(): Promise<void> {
    this.#routing = this.#routing.then(() => this.#route()).catch((error: unknown) => this.context.log.error({ err: error }, 'routing failed'));
    return this.#routing;
  }

  async accept(agentId: string, offerId: string): Promise<SessionRecord> {
    const { store, deadlines } = this.context;
    const offer = await store.getOffer(offerId);
    if (!offer || offer.agentId !== agentId) throw new ServiceError('offer_gone', 'This offer has expired or was taken.');
    await store.deleteOffer(offer.id);
    await deadlines.clear({ kind: 'offer-expiry', offerId: offer.id });
    await this.#refreshOfferCounts();
    const session = await this.chat.get(offer.sessionId);
    if (session.state !== 'waiting') throw new ServiceError('offer_gone', 'This chat is no longer waiting.');
    await store.putWork({ sessionId: session.id, agentId, phase: 'open', since: this.context.clock.now() });
    const agent = this.#agentRef(agentId);
    const previous = session.previousAgentId && session.previousAgentId !== agentId ? this.#agentRef(session.previousAgentId) : undefined;
    const active = await this.chat.transition(session, 'active', 'agent-accepted', { agentId });
    // M4: the customer is told the agent changed; the new agent already has the transcript via replay.
    await this.chat.append(active, previous ? { kind: 'agent-changed', agent, previous } : { kind: 'agent-joined', agent });
    this.#passed.delete(session.id);
    await this.#workChanged(agentId);
    await this.route();
    return this.chat.get(session.id);
  }

  async decline(agentId: string, offerId: string): Promise<void> {
    const offer = await this.context.store.getOffer(offerId);
    if (!offer || offer.agentId !== agentId) throw new ServiceError('offer_gone', 'This offer has expired or was taken.');
    await this.#withdraw(offer.id, agentId, 'cancelled');
    this.#pass(offer.sessionId, agentId);
    await this.presence.apply(agentId, { type: 'declined', since: offer.createdAt });
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
      this.context.emit({ type: 'offer-made', agentId, offer: { offerId: offer.id, sessionId: session.id, button: session.button, prechat: session.prechat, expiresAt: offer.expiresAt } });
    }
  }

  /** Offers out per agent, as of the last change (availability reads it synchronously). */
  offerCount = (agentId: string): number => this.#offerCounts.get(agentId) ?? 0;

  async #refreshOfferCounts(): Promise<void> {
    const counts = new Map<string, number>();
    for (const agent of this.context.config.agents) counts.set(agent.id, (await this.context.store.offersOfAgent(agent.id)).length);
    this.#setOfferCounts(counts);
  }

  #setOfferCounts(counts: ReadonlyMap<string, number>): void {
    const changed = counts.size !== this.#offerCounts.size || [...counts].some(([agentId, count]) => this.#offerCounts.get(agentId) !== count);
    this.#offerCounts.clear();
    for (const [agentId, count] of counts) this.#offerCounts.set(agentId, count);
    if (changed) this.context.emit({ type: 'offers-changed', counts: Object.fromEntries(counts) });
  }

  async #route(): Promise<void> {
    const { store, clock, config } = this.context;
    const waiting = await store.sessionsInState('waiting');
    const offered = new Map<string, number>();
    for (const agent of config.agents) offered.set(agent.id, (await store.offersOfAgent(agent.id)).length);
    const waitingKey = waiting.map((session) => session.id).join();
    if (waitingKey !== this.#lastWaiting) {
      this.#lastWaiting = waitingKey;
      this.context.emit({ type: 'queue-changed' });
    }
    for (const session of waiting) {
      if ((await store.offersOfSession(session.id)).length > 0) continue;
      const passed = this.#passed.get(session.id) ?? new Set();
      const candidates = this.presence
        .all()
        // Only agents with a socket can accept; a disconnected one keeps presence (M5) but gets no offers.
        .filter((state) => !passed.has(state.agentId) && this.presence.isConnected(state.agentId) && canTakeWork(state, session.office, offered.get(state.agentId) ?? 0))
        .sort((a, b) => a.capacity.used + (offered.get(a.agentId) ?? 0) - (b.capacity.used + (offered.get(b.agentId) ?? 0)) || a.agentId.localeCompare(b.agentId));
      const chosen = candidates.find((state) => state.agentId === session.previousAgentId) ?? candidates[0];
      if (!chosen) continue;
      const offer = { id: this.context.newId(), sessionId: session.id, agentId: chosen.agentId, createdAt: clock.now(), expiresAt: clock.now() + config.presence.offerTimeoutSeconds * SECOND };
      await store.putOffer(offer);
      await this.context.deadlines.set({ kind: 'offer-expiry', offerId: offer.id }, offer.expiresAt);
      offered.set(chosen.agentId, (offered.get(chosen.agentId) ?? 0) + 1);
      this.context.emit({ type: 'offer-made', agentId: chosen.agentId, offer: { offerId: offer.id, sessionId: session.id, button: session.button, prechat: session.prechat, expiresAt: offer.expiresAt } });
    }
    // Offers out change what buttons can promise; the counts built above are current.
    this.#setOfferCounts(offered);
  }

  async #withdraw(offerId: string, agentId: string, reason: 'taken' | 'expired' | 'cancelled'): Promise<void> {
    await this.context.store.deleteOffer(offerId);
    await this.context.deadlines.clear({ kind: 'offer-expiry', offerId });
    this.context.emit({ type: 'offer-withdrawn', agentId, offerId, reason });
    await this.#refreshOfferCounts();
  }

  #pass(sessionId: string, agentId: string): void {
    const passed = this.#passed.get(sessionId) ?? new Set<string>();
    passed.add(agentId);
    this.#passed.set(sessionId, passed);
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
      const session = await this.chat.get(work.sessionId);
      items.push({ sessionId: session.id, button: session.button, state: session.state, phase: work.phase, prechat: session.prechat, lastSeq: (await this.context.store.getSession(session.id))?.lastSeq ?? 0 });
    }
    return items;
  }

  #agentRef(agentId: string): { id: string; name: string } {
    return { id: agentId, name: this.context.config.agents.find((agent) => agent.id === agentId)?.name ?? agentId };
  }
}
