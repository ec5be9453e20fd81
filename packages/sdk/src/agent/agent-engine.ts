import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { ServerFrame } from '@parley/protocol';
import type { Connection, ConnectionState } from '../connection/connection.js';
import { Requests } from '../connection/requests.js';
import { connectTo, type EngineEnvironment } from '../engine/engine-environment.js';
import { checkText } from '../outbox/write-to-outbox.js';
import { ActivityReporter } from './activity-reporter.js';
import { INITIAL_AGENT_SNAPSHOT, reduceAgent, type AgentEvent, type AgentNotice, type AgentSnapshot } from './agent-state.js';
import { Offers } from './offers.js';
import type { AgentPresenceEvent } from './presence-view.js';

export interface AgentEngineOptions extends EngineEnvironment {
  /** The signed agent token, and the agent it names. */
  token: string;
  agentId: string;
  browserId: string;
  /** P7: how long the service holds presence after the connection drops. */
  disconnectGraceMs: number;
  /** A3: at most one activity report per this long. */
  activityEveryMs: number;
}

/**
 * The agent side, in the tab that holds the connection: wires the socket to
 * presence (the pure rules of presence-view.ts), offers, work and
 * conversations, and carries out the agent's commands.
 */
export class AgentEngine {
  readonly snapshot$ = new BehaviorSubject<AgentSnapshot>(INITIAL_AGENT_SNAPSHOT);
  readonly notices$ = new Subject<AgentNotice>();
  readonly #options: AgentEngineOptions;
  readonly #connection: Connection;
  readonly #requests: Requests;
  readonly #offers: Offers;
  readonly #activity: ActivityReporter;
  readonly #subscriptions: Subscription[] = [];
  #grace: Subscription | undefined;

  constructor(options: AgentEngineOptions) {
    this.#options = options;
    this.#connection = connectTo(options, () => ({ role: 'agent', browserId: options.browserId, token: options.token, cursors: this.#cursors() }));
    this.#requests = new Requests(this.#connection, options.newId);
    this.#offers = new Offers(options.scheduler, options.now);
    this.#activity = new ActivityReporter({ scheduler: options.scheduler, everyMs: options.activityEveryMs, report: (at) => this.#connection.send({ type: 'activity', at }) });
  }

  async start(): Promise<void> {
    this.#subscriptions.push(
      this.#connection.frames$.subscribe((frame) => this.#receive(frame)),
      this.#connection.state$.subscribe((state) => this.#connectionChanged(state)),
      this.#offers.list$.subscribe((offers) => this.#dispatch({ type: 'offers', offers })),
    );
    this.#connection.start();
  }

  stop(): void {
    this.#connection.stop();
    this.#grace?.unsubscribe();
    this.#activity.stop();
    this.#offers.stop();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** A base status or a custom status id; for one office, or all (A2, A4, P8). */
  async setStatus(status: string, office?: string): Promise<void> {
    const { agentId, now } = this.#options;
    if (status === 'available' || status === 'away' || status === 'offline') this.#presence({ type: 'manual', status, office, agentId, at: now() });
    this.recordActivity(now());
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
    this.#offers.remove(offerId);
    return (answer as unknown as { data: { sessionId: string } }).data.sessionId;
  }

  async decline(offerId: string): Promise<void> {
    await this.#requests.send({ type: 'decline', offerId });
    this.#offers.remove(offerId);
  }

  async reply(sessionId: string, text: string): Promise<number> {
    checkText(text);
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

  /** A3: the latest input time in any of the agent's tabs. */
  recordActivity(at: number): void {
    this.#activity.record(at);
  }

  #receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'presence':
        return this.#presence({ type: 'server', presence: frame.presence });
      case 'offer':
        return this.#offers.add(frame);
      case 'offer-withdrawn':
        return this.#offers.remove(frame.offerId);
      case 'work':
        return this.#dispatch({ type: 'work', items: frame.items });
      case 'event':
        return this.#dispatch({ type: 'event', event: frame });
      case 'typing':
        if (frame.from === 'customer') this.#dispatch({ type: 'typing', sessionId: frame.sessionId, on: frame.on });
        return;
      case 'notice':
        if (frame.kind !== 'read-only') this.#dispatch({ type: 'window', kind: frame.kind, window: frame.window });
        return this.notices$.next(frame.kind === 'read-only' ? { kind: 'read-only', on: frame.on } : { kind: frame.kind, window: frame.window });
      case 'waiting-list':
        return this.#dispatch({ type: 'waiting', entries: frame.entries });
      case 'logged-out':
        return this.#dispatch({ type: 'logged-out' });
      case 'ack':
      case 'result':
      case 'error':
        return this.#requests.answer(frame);
      default:
        return;
    }
  }

  #connectionChanged(state: ConnectionState): void {
    const open = state.status === 'open';
    if (open) {
      this.#grace?.unsubscribe();
      this.#grace = undefined;
      this.#activity.flush();
    } else {
      this.#requests.dropAll();
      // P7: the service holds presence for its grace; past it, show what the service will have done.
      if (this.snapshot$.value.presence.view && !this.#grace && state.status !== 'closed') {
        this.#grace = this.#options.scheduler.schedule(() => this.#presence({ type: 'grace-expired', at: this.#options.now() }), this.#options.disconnectGraceMs);
      }
    }
    this.#dispatch({ type: 'connection', state });
  }

  #cursors(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.snapshot$.value.conversations).map(([sessionId, lines]) => [sessionId, lines.at(-1)?.seq ?? 0]));
  }

  #presence(event: AgentPresenceEvent): void {
    this.#dispatch({ type: 'presence', event });
  }

  #dispatch(event: AgentEvent): void {
    const next = reduceAgent(this.snapshot$.value, event);
    if (next !== this.snapshot$.value) this.snapshot$.next(next);
  }
}
