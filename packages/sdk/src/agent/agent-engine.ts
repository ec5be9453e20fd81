import { BehaviorSubject, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { Connection, type ConnectionState } from '../connection/connection.js';
import { Requests } from '../connection/requests.js';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';
import { ParleyError } from '../errors/parley-error.js';
import { LIMITS, type MaintenanceWindow, type Offer, type ServerFrame, type WorkItem, type SequencedEvent, type SessionEvent } from '@parley/protocol';
import { INITIAL_PRESENCE, reduceAgentPresence, type AgentPresence, type AgentPresenceEvent } from './presence-view.js';

/** One line of a conversation, as the agent console shows it. */
export interface AgentMessage {
  seq: number;
  from: 'customer' | 'agent' | 'system';
  author: string;
  text: string;
  at: number;
}

export type AgentNotice = { kind: 'maintenance-planned' | 'maintenance-cancelled'; window: MaintenanceWindow } | { kind: 'read-only'; on: boolean };

/** Everything an agent console renders, in one value (what the leader tab shares with the others). */
export interface AgentSnapshot {
  connection: ConnectionState;
  presence: AgentPresence;
  offers: Offer[];
  work: WorkItem[];
  /** Messages per session of the agent's work. */
  conversations: Record<string, AgentMessage[]>;
  /** Whether the customer of a session is typing. */
  typing: Record<string, boolean>;
  /** A6: the agent logged out, here or in another tab or browser. */
  loggedOut: boolean;
}

export interface AgentEngineOptions {
  endpoint: string;
  token: string;
  browserId: string;
  agentId: string;
  WebSocket: WebSocketConstructor;
  scheduler: SchedulerLike;
  random: () => number;
  wake$: Observable<unknown>;
  newId: () => string;
  now: () => number;
  /** P7: how long the service holds presence after the connection drops. */
  disconnectGraceMs: number;
  /** A3: at most one activity report per this long. */
  activityEveryMs: number;
  timing?: Partial<ReconnectTiming>;
}


/**
 * The agent side, in the tab that holds the connection: presence (through
 * the pure rules in presence-view.ts), offers, work and conversations, and
 * the commands an agent gives.
 */
export class AgentEngine {
  readonly snapshot$: BehaviorSubject<AgentSnapshot>;
  readonly notices$ = new Subject<AgentNotice>();
  readonly #options: AgentEngineOptions;
  readonly #connection: Connection;
  readonly #requests: Requests;
  readonly #subscriptions: Subscription[] = [];
  #presence: AgentPresence = INITIAL_PRESENCE;
  #offers: Offer[] = [];
  #work: WorkItem[] = [];
  #conversations: Record<string, AgentMessage[]> = {};
  #typing: Record<string, boolean> = {};
  #loggedOut = false;
  #grace: Subscription | undefined;
  #offerTimers = new Map<string, Subscription>();
  #latestActivity = 0;
  #reportedActivity = 0;
  #activityTimer: Subscription | undefined;

  constructor(options: AgentEngineOptions) {
    this.#options = options;
    this.snapshot$ = new BehaviorSubject<AgentSnapshot>(this.#snapshot());
    this.#connection = new Connection({
      url: `${options.endpoint.replace(/^http/, 'ws').replace(/\/$/, '')}/v1/socket`,
      WebSocket: options.WebSocket,
      scheduler: options.scheduler,
      random: options.random,
      wake$: options.wake$,
      timing: options.timing,
      hello: () => ({ role: 'agent', browserId: options.browserId, token: options.token, cursors: this.#cursors() }),
    });
    this.#requests = new Requests(this.#connection, options.newId);
  }

  async start(): Promise<void> {
    this.#subscriptions.push(
      this.#connection.frames$.subscribe((frame) => this.#receive(frame)),
      this.#connection.state$.subscribe((state) => this.#connectionChanged(state)),
    );
    this.#connection.start();
  }

  stop(): void {
    this.#connection.stop();
    this.#grace?.unsubscribe();
    this.#activityTimer?.unsubscribe();
    for (const timer of this.#offerTimers.values()) timer.unsubscribe();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** A base status or a custom status id; for one office, or all (A2, A4, P8). */
  async setStatus(status: string, office?: string): Promise<void> {
    const base = status === 'available' || status === 'away' || status === 'offline' ? status : undefined;
    if (base) this.#presenceEvent({ type: 'manual', status: base, office, agentId: this.#options.agentId, at: this.#options.now() });
    this.recordActivity(this.#options.now());
    await this.#requests.send({ type: 'presence', status, ...(office ? { office } : {}) });
  }

  async resetPresence(): Promise<void> {
    await this.#requests.send({ type: 'reset-presence' });
  }

  async logout(): Promise<void> {
    await this.#requests.send({ type: 'logout' });
  }

  async accept(offerId: string): Promise<string> {
    const answer = await this.#requests.send({ type: 'accept', offerId });
    this.#removeOffer(offerId);
    return (answer as unknown as { data: { sessionId: string } }).data.sessionId;
  }

  async decline(offerId: string): Promise<void> {
    await this.#requests.send({ type: 'decline', offerId });
    this.#removeOffer(offerId);
  }

  async reply(sessionId: string, text: string): Promise<number> {
    if (text.trim().length === 0 || text.length > LIMITS.textLength) throw new ParleyError('bad_text', `A message is 1 to ${LIMITS.textLength} characters.`);
    const answer = await this.#requests.send({ type: 'reply', sessionId, cmid: this.#options.newId(), text });
    return (answer as unknown as { seq: number }).seq;
  }

  setTyping(sessionId: string, on: boolean): void {
    this.#connection.send({ type: 'agent-typing', sessionId, on });
  }

  async end(sessionId: string): Promise<void> {
    await this.#requests.send({ type: 'end-session', sessionId });
  }

  async closeWork(sessionId: string): Promise<void> {
    await this.#requests.send({ type: 'close-work', sessionId });
  }

  async consult(sessionId: string): Promise<void> {
    await this.#requests.send({ type: 'consult', sessionId });
  }

  /**
   * A3: input in any tab. The service decides Away from the latest time it
   * heard; reports go out at most once per `activityEveryMs`, the newest
   * time each, so a busy page does not flood the socket.
   */
  recordActivity(at: number): void {
    this.#latestActivity = Math.max(this.#latestActivity, at);
    if (this.#activityTimer) return;
    this.#reportActivity();
    this.#activityTimer = this.#options.scheduler.schedule(() => {
      this.#activityTimer = undefined;
      if (this.#latestActivity > this.#reportedActivity) this.recordActivity(this.#latestActivity);
    }, this.#options.activityEveryMs);
  }

  #reportActivity(): void {
    if (this.#latestActivity === 0) return;
    if (this.#connection.send({ type: 'activity', at: this.#latestActivity })) this.#reportedActivity = this.#latestActivity;
  }

  #receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'presence':
        this.#presenceEvent({ type: 'server', presence: frame.presence });
        return;
      case 'offer':
        this.#addOffer(frame);
        break;
      case 'offer-withdrawn':
        this.#removeOffer(frame.offerId);
        return;
      case 'work':
        this.#work = frame.items;
        break;
      case 'event':
        this.#apply(frame);
        break;
      case 'typing':
        if (frame.from === 'customer') this.#typing = { ...this.#typing, [frame.sessionId]: frame.on };
        break;
      case 'notice':
        this.notices$.next(frame.kind === 'read-only' ? { kind: 'read-only', on: frame.on } : { kind: frame.kind, window: frame.window });
        return;
      case 'logged-out':
        this.#loggedOut = true;
        break;
      case 'ack':
      case 'result':
      case 'error':
        this.#requests.answer(frame);
        return;
      default:
        return;
    }
    this.#publish();
  }

  #apply(frame: SequencedEvent): void {
    const conversation = this.#conversations[frame.sessionId] ?? [];
    if (conversation.some((line) => line.seq === frame.seq)) return;
    const event = frame.event as SessionEvent;
    const line = describe(event);
    if (!line) return;
    const next = [...conversation, { seq: frame.seq, at: frame.at, ...line }].sort((a, b) => a.seq - b.seq);
    this.#conversations = { ...this.#conversations, [frame.sessionId]: next };
    if (event.kind === 'message' && event.from === 'customer') this.#typing = { ...this.#typing, [frame.sessionId]: false };
  }

  /** P10: an offer leaves the list at its expiry, even if the withdrawal is slow to come. */
  #addOffer(offer: Offer): void {
    if (this.#offers.some((known) => known.offerId === offer.offerId)) return;
    this.#offers = [...this.#offers, { offerId: offer.offerId, sessionId: offer.sessionId, button: offer.button, prechat: offer.prechat, expiresAt: offer.expiresAt }];
    const left = Math.max(0, offer.expiresAt - this.#options.now());
    this.#offerTimers.set(offer.offerId, this.#options.scheduler.schedule(() => this.#removeOffer(offer.offerId), left));
  }

  #removeOffer(offerId: string): void {
    this.#offerTimers.get(offerId)?.unsubscribe();
    this.#offerTimers.delete(offerId);
    if (!this.#offers.some((offer) => offer.offerId === offerId)) return;
    this.#offers = this.#offers.filter((offer) => offer.offerId !== offerId);
    this.#publish();
  }

  #connectionChanged(state: ConnectionState): void {
    const open = state.status === 'open';
    if (open) {
      this.#grace?.unsubscribe();
      this.#grace = undefined;
      this.#reportActivity();
    } else {
      this.#requests.dropAll();
      // P7: the service holds presence for its grace; past it, show what the service will have done.
      if (this.#presence.view && !this.#grace && state.status !== 'closed') {
        this.#grace = this.#options.scheduler.schedule(() => this.#presenceEvent({ type: 'grace-expired', at: this.#options.now() }), this.#options.disconnectGraceMs);
      }
      if (state.status === 'closed' && state.error?.code === 'logged_out') this.#loggedOut = true;
    }
    this.#presenceEvent({ type: 'connection', open });
  }

  #presenceEvent(event: AgentPresenceEvent): void {
    this.#presence = reduceAgentPresence(this.#presence, event);
    this.#publish();
  }

  #cursors(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.#conversations).map(([sessionId, lines]) => [sessionId, lines.at(-1)?.seq ?? 0]));
  }

  #snapshot(): AgentSnapshot {
    return {
      connection: this.#connection?.state$.value ?? { status: 'connecting' },
      presence: this.#presence,
      offers: this.#offers,
      work: this.#work,
      conversations: this.#conversations,
      typing: this.#typing,
      loggedOut: this.#loggedOut,
    };
  }

  #publish(): void {
    this.snapshot$?.next(this.#snapshot());
  }
}

function describe(event: SessionEvent): Omit<AgentMessage, 'seq' | 'at'> | undefined {
  if (event.kind === 'message') return { from: event.from, author: event.author, text: event.text };
  if (event.kind === 'agent-joined') return { from: 'system', author: '', text: `${event.agent.name} joined` };
  if (event.kind === 'agent-changed') return { from: 'system', author: '', text: `${event.agent.name} took over from ${event.previous.name}` };
  if (event.kind === 'state') return { from: 'system', author: '', text: `Chat ${event.state} (${event.reason})` };
  return undefined;
}
