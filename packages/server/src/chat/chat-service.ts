import type { AttachmentRef, SessionEvent, SessionState, VerifiedIdentity } from '@parley/protocol';
import { toRef } from '../attachments/attachment-service.js';
import {
  onAgentInitiated,
  onAgentMessage,
  onCustomerMessage,
  onDeadline,
  onNotification,
  type LifecycleDeadline,
  type LifecycleConfig,
  type LifecycleDecision,
} from '../lifecycle/lifecycle-rules.js';
import type { SessionOrigin, SessionRecord } from '../store/store.js';
import { ServiceError, type ServiceContext } from '../service/context.js';
import { checkStart } from './start-limits.js';

/** What the chat service needs from routing, which in turn calls back into it. */
export interface RoutingHooks {
  /** The session is Waiting (new, or back from Inactive): route it. */
  waiting(session: SessionRecord): Promise<void>;
  /** The session's agent no longer holds it (Inactive): release their capacity. */
  released(session: SessionRecord): Promise<void>;
  /** The session Ended: withdraw offers, move work to wrap-up (P5). */
  ended(session: SessionRecord): Promise<void>;
  /** Agents whose sockets must get this session's frames. */
  agentsOf(sessionId: string): Promise<string[]>;
  /** An agent took work outside routing (S6): recount their capacity. */
  workChanged(agentId: string): Promise<void>;
}

interface SessionFields {
  browserId: string;
  button: string;
  prechat: Record<string, string>;
  origin: SessionOrigin;
  state: SessionState;
  agentId?: string;
  startId?: string | undefined;
  identity?: VerifiedIdentity | null | undefined;
}

export interface StartRequest {
  browserId: string;
  button: string;
  prechat: Record<string, string>;
  /** The client's id for this start; repeating it returns the same session. */
  startId?: string | undefined;
  /** The client's address key, for the per-address start limit. */
  address: string;
  /** I1: the verified user the chat belongs to. */
  identity?: VerifiedIdentity | undefined;
}

/**
 * Sessions and their transcript: every change is an event with the session's
 * next seq, stored before it is published. Lifecycle decisions (S1–S8) come
 * from the pure rules; this class carries them out.
 */
export class ChatService {
  routing!: RoutingHooks;
  /** Refuses new sessions when maintenance or read-only says so (M1, M6); set by the service. */
  admission: (button: string) => void = () => {};
  /** Starts of one browser run one at a time on this node, so two cannot both pass the open-chat check. */
  readonly #starting = new Map<string, Promise<unknown>>();

  constructor(private readonly context: ServiceContext) {
    context.deadlines.handle('session-inactivity', ({ sessionId }) => this.#onDeadline('inactivity', sessionId));
    context.deadlines.handle('session-end', ({ sessionId }) => this.#onDeadline('end', sessionId));
  }

  get lifecycle(): LifecycleConfig {
    const { lifecycle } = this.context.config;
    return {
      customerInactivityMinutes: lifecycle.customerInactivityMinutes,
      inactiveEndHours: lifecycle.inactiveEndHours,
      agentInitiatedEndHours: lifecycle.channel === 'standard' ? 24 : lifecycle.enhancedNoReplyHours,
      notificationLongevityHours: 48,
      optOutKeywords: lifecycle.optOutKeywords,
    };
  }

  async get(sessionId: string): Promise<SessionRecord> {
    const session = await this.context.store.getSession(sessionId);
    if (!session) throw new ServiceError('not_found', 'No such session.');
    return session;
  }

  /**
   * A customer asks for a chat: a Waiting session, routed at once. A start
   * repeated with the same `startId` (its answer was lost to a drain or a
   * crash) gets the session the first one created, whatever its state.
   */
  async start(request: StartRequest): Promise<SessionRecord> {
    const previous = this.#starting.get(request.browserId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#start(request));
    this.#starting.set(request.browserId, run);
    try {
      return await run;
    } finally {
      if (this.#starting.get(request.browserId) === run) this.#starting.delete(request.browserId);
    }
  }

  async #start(request: StartRequest): Promise<SessionRecord> {
    const { store } = this.context;
    const button = this.context.config.buttons.find((candidate) => candidate.id === request.button);
    if (!button) throw new ServiceError('not_found', `No chat button "${request.button}".`);
    const earlier = request.startId === undefined ? undefined : await store.sessionOfStart(request.browserId, request.startId);
    if (earlier) return earlier;
    this.admission(button.id);
    await checkStart(this.context, { browserId: request.browserId, button: button.id, address: request.address, userId: request.identity?.userId });
    const created = this.#record({
      browserId: request.browserId,
      button: button.id,
      prechat: request.prechat,
      origin: 'customer',
      state: 'waiting',
      startId: request.startId,
      identity: request.identity,
    });
    const session = await store.createSession(created);
    // Another node ran the same start first: its session is the answer.
    if (session.id !== created.id) return session;
    await this.append(session, { kind: 'state', state: 'waiting', reason: 'started' });
    await this.routing.waiting(session);
    return session;
  }

  /**
   * A customer message: exactly once per cmid, then the lifecycle (S1, S3, S6,
   * S8). The append itself refuses a stored cmid atomically, so the cmid is
   * looked up first only when the message would be refused (a re-sent message
   * gets its first ack, whatever happened to the session since).
   */
  async customerMessage(sessionId: string, cmid: string, text: string, attachmentId?: string): Promise<number> {
    const session = await this.get(sessionId);
    const own = (event: Extract<SessionEvent, { kind: 'message' }>) => event.from === 'customer';
    const decision = onCustomerMessage(session, text, this.lifecycle);
    if (decision.refuse) {
      const duplicate = await this.#duplicate(session, cmid, own);
      if (duplicate?.own) return duplicate.seq;
      throw new ServiceError(decision.refuse, 'This chat has ended; start a new one.');
    }
    const attachment = await this.#attachment(session.id, attachmentId, 'customer');
    const { seq, duplicate } = await this.append(session, { kind: 'message', from: 'customer', author: session.prechat.name ?? 'Customer', text, cmid, ...attachment }, cmid);
    if (duplicate) return this.#ownDuplicate(session, seq, own);
    if (decision.optOut) await this.context.store.recordOptOut(session.browserId, session.id, text.trim(), this.context.clock.now());
    await this.#carryOut(session, decision);
    return seq;
  }

  /**
   * An agent message (S2, S4): only from the agent the session is assigned to,
   * never from a consultant (P4). Authorization comes before deduplication, so
   * a cmid tells nothing to an agent who may not write here.
   */
  async agentMessage(agentId: string, sessionId: string, cmid: string, text: string, attachmentId?: string): Promise<number> {
    const session = await this.get(sessionId);
    const own = (event: Extract<SessionEvent, { kind: 'message' }>) => event.from === 'agent' && event.agentId === agentId;
    const work = await this.context.store.workOfSession(sessionId);
    const assigned = work.some((item) => item.agentId === agentId && item.phase !== 'consult');
    const decision = onAgentMessage(session, this.context.clock.now(), this.lifecycle);
    if (!assigned || decision.refuse) {
      // A re-sent message gets its first ack, even once the agent no longer holds the session.
      const duplicate = await this.#duplicate(session, cmid, own);
      if (duplicate?.own) return duplicate.seq;
      if (!assigned) {
        if (session.state === 'inactive' && session.previousAgentId === agentId) {
          throw new ServiceError('session_inactive', 'This session is Inactive: start a new session to write to the customer.');
        }
        throw new ServiceError('not_assigned', 'You are not working on this session (a consultant reads it; only its agent writes to the customer).');
      }
      if (duplicate) throw new ServiceError('bad_request', 'This cmid is already used in this chat; send the message with a new one.');
      throw new ServiceError(decision.refuse!, decision.refuse === 'session_inactive' ? 'This session is Inactive: start a new session.' : 'This session has ended.');
    }
    const author = this.context.config.agents.find((agent) => agent.id === agentId)?.name ?? agentId;
    const agentIds = work.map((item) => item.agentId);
    const attachment = await this.#attachment(session.id, attachmentId, agentId);
    const { seq, duplicate } = await this.append(session, { kind: 'message', from: 'agent', author, text, cmid, agentId, ...attachment }, cmid, agentIds);
    if (duplicate) return this.#ownDuplicate(session, seq, own);
    await this.#carryOut(session, decision);
    return seq;
  }

  /** True when the session is the agent's own work (open or wrap-up), not a consult. */
  async assigned(agentId: string, sessionId: string): Promise<boolean> {
    return (await this.context.store.workOfSession(sessionId)).some((work) => work.agentId === agentId && work.phase !== 'consult');
  }

  async end(sessionId: string, reason: 'customer-ended' | 'agent-ended'): Promise<void> {
    const session = await this.get(sessionId);
    if (session.state === 'ended') return;
    await this.#carryOut(session, { transition: { to: 'ended', reason }, deadlines: { inactivity: null, end: null } });
  }

  /** S6: an agent starts a new session with the customer of an earlier one. */
  async initiate(agentId: string, earlierSessionId: string, cmid: string, text: string): Promise<SessionRecord> {
    const earlier = await this.get(earlierSessionId);
    this.admission(earlier.button);
    const session = await this.#create({ browserId: earlier.browserId, button: earlier.button, prechat: earlier.prechat, identity: earlier.identity, origin: 'agent', state: 'active', agentId });
    await this.append(session, { kind: 'state', state: 'active', reason: 'agent-initiated' });
    const author = this.context.config.agents.find((agent) => agent.id === agentId)?.name ?? agentId;
    await this.append(session, { kind: 'message', from: 'agent', author, text, cmid, agentId }, cmid);
    await this.#carryOut(session, onAgentInitiated(this.context.clock.now(), this.lifecycle));
    await this.routing.workChanged(agentId);
    return session;
  }

  /** S7: an automated notification to the customer of an earlier session. */
  async notify(earlierSessionId: string, text: string, longevity: boolean): Promise<SessionRecord> {
    const earlier = await this.get(earlierSessionId);
    const session = await this.#create({ browserId: earlier.browserId, button: earlier.button, prechat: earlier.prechat, identity: earlier.identity, origin: 'notification', state: 'active' });
    await this.append(session, { kind: 'state', state: 'active', reason: 'notification' });
    await this.append(session, { kind: 'message', from: 'system', author: 'Notification', text });
    await this.#carryOut(session, onNotification(this.context.clock.now(), longevity, this.lifecycle));
    return this.get(session.id);
  }

  /** Lifecycle deadlines (S1, S5, S6, S7). */
  async #onDeadline(kind: LifecycleDeadline, sessionId: string): Promise<void> {
    const session = await this.context.store.getSession(sessionId);
    if (session) await this.#carryOut(session, onDeadline(session, kind, this.context.clock.now(), this.lifecycle));
  }

  /** Moves a session to another state with an event, and tells routing (M4 re-routes use this too). */
  async transition(session: SessionRecord, to: SessionState, reason: string, patch: Partial<SessionRecord> = {}): Promise<SessionRecord> {
    const next = { ...session, ...patch, state: to, updatedAt: this.context.clock.now() };
    if (to === 'inactive' || to === 'waiting') {
      next.previousAgentId = session.agentId ?? session.previousAgentId;
      next.agentId = null;
    }
    await this.context.store.updateSession(session.id, { ...patch, state: to, agentId: next.agentId, previousAgentId: next.previousAgentId, updatedAt: next.updatedAt });
    await this.append(next, { kind: 'state', state: to, reason });
    if (to === 'inactive' || (to === 'waiting' && session.agentId)) await this.routing.released(session);
    if (to === 'ended') await this.routing.ended(next);
    if (to === 'waiting') await this.routing.waiting(next);
    return next;
  }

  /** Stores an event and publishes it to the session's customer and agents. */
  /** Stores an event and announces it; `agentIds`, when the caller just read the session's work, saves reading it again. */
  async append(session: SessionRecord, event: SessionEvent, cmid?: string, agentIds?: string[]): Promise<{ seq: number; duplicate: boolean }> {
    const at = this.context.clock.now();
    const result = await this.context.store.appendEvent(session.id, event, at, cmid);
    if (!result.duplicate) {
      if (event.kind === 'message') this.context.metrics.messages.inc({ from: event.from });
      this.context.emit({ type: 'session-event', event: { sessionId: session.id, seq: result.seq, at, event }, agentIds: agentIds ?? (await this.routing.agentsOf(session.id)) });
    }
    return result;
  }

  /** I2: the attachment a message refers to, which must be the sender's own upload in this session. */
  async #attachment(sessionId: string, attachmentId: string | undefined, sender: string): Promise<{ attachment: AttachmentRef } | undefined> {
    if (attachmentId === undefined) return undefined;
    const record = await this.context.store.getAttachment(attachmentId);
    if (!record || record.sessionId !== sessionId || record.uploadedBy !== sender) throw new ServiceError('not_found', 'No such attachment of yours in this chat: upload it first.');
    return { attachment: toRef(record) };
  }

  /** The ack of a stored cmid: its first seq when the message is the sender's own, else a refusal. */
  async #ownDuplicate(session: SessionRecord, seq: number, own: (message: Extract<SessionEvent, { kind: 'message' }>) => boolean): Promise<number> {
    const [original] = await this.context.store.eventsAfter(session.id, seq - 1);
    if (original?.seq === seq && original.event.kind === 'message' && own(original.event)) return seq;
    throw new ServiceError('bad_request', 'This cmid is already used in this chat; send the message with a new one.');
  }

  /** The seq a cmid was stored under in this session, and whether that message is the sender's own. */
  async #duplicate(session: SessionRecord, cmid: string, own: (message: Extract<SessionEvent, { kind: 'message' }>) => boolean): Promise<{ seq: number; own: boolean } | undefined> {
    const seq = await this.context.store.seqOfCmid(session.id, cmid);
    if (seq === undefined) return undefined;
    const [original] = await this.context.store.eventsAfter(session.id, seq - 1);
    return { seq, own: original?.seq === seq && original.event.kind === 'message' && own(original.event) };
  }

  async #create(fields: SessionFields): Promise<SessionRecord> {
    const session = this.#record(fields);
    await this.context.store.createSession(session);
    if (fields.agentId) await this.context.store.putWork({ sessionId: session.id, agentId: fields.agentId, phase: 'open', since: session.createdAt });
    return session;
  }

  #record(fields: SessionFields): SessionRecord {
    const now = this.context.clock.now();
    const office = this.context.config.buttons.find((button) => button.id === fields.button)?.office ?? '';
    const session: SessionRecord = {
      id: this.context.newId(),
      button: fields.button,
      office,
      browserId: fields.browserId,
      state: fields.state,
      origin: fields.origin,
      prechat: fields.prechat,
      agentId: fields.agentId ?? null,
      previousAgentId: null,
      lastSeq: 0,
      awaitingReply: false,
      awaitingFirstReply: false,
      createdAt: now,
      updatedAt: now,
      startId: fields.startId ?? null,
      userId: fields.identity?.userId ?? null,
      identity: fields.identity ?? null,
    };
    return session;
  }

  async #carryOut(session: SessionRecord, decision: LifecycleDecision): Promise<void> {
    const { deadlines, store } = this.context;
    for (const [kind, due] of Object.entries(decision.deadlines) as Array<[LifecycleDeadline, number | null | undefined]>) {
      const deadline = { kind: kind === 'inactivity' ? 'session-inactivity' : 'session-end', sessionId: session.id } as const;
      if (due === null) await deadlines.clear(deadline);
      else if (due !== undefined) await deadlines.set(deadline, due);
    }
    const flags: Partial<SessionRecord> = {};
    if (decision.awaitingReply !== undefined) flags.awaitingReply = decision.awaitingReply;
    if (decision.awaitingFirstReply !== undefined) flags.awaitingFirstReply = decision.awaitingFirstReply;
    if (Object.keys(flags).length > 0) await store.updateSession(session.id, flags);
    if (decision.transition) await this.transition({ ...session, ...flags }, decision.transition.to, decision.transition.reason);
  }
}
