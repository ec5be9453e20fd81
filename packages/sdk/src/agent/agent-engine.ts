import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { CommandFrame, ServerFrame } from '@parley/protocol';
import type { Connection, ConnectionState } from '../connection/connection.js';
import { Requests } from '../connection/requests.js';
import { connectTo, type EngineEnvironment } from '../engine/engine-environment.js';
import { SerialQueue } from '../engine/serial-queue.js';
import { ReceiptReporter } from '../receipts/receipt-reporter.js';
import type { ChatStore } from '../storage/chat-store.js';
import { ActivityReporter } from './activity-reporter.js';
import { AgentConversations } from './agent-conversations.js';
import { INITIAL_AGENT_SNAPSHOT, reduceAgent, type AgentEvent, type AgentNotice, type AgentSnapshot } from './agent-state.js';
import { Offers } from './offers.js';
import type { AgentPresenceEvent } from './presence-view.js';

export interface AgentEngineOptions extends EngineEnvironment {
  /** The signed agent token, and the agent it names. */
  token: string;
  agentId: string;
  /** Where the agent's transcripts, cursors, outbox and browser id are kept (IndexedDB, shared by the tabs). */
  store: ChatStore;
  /** How long a reply the service could not take yet waits before it is tried again. */
  retryQueuedMs: number;
  /** P7: how long the service holds presence after the connection drops. */
  disconnectGraceMs: number;
  /** A3: at most one activity report per this long. */
  activityEveryMs: number;
  /** Replies sent per second and at once (default: the protocol's OUTBOX_PACE). */
  pace?: { perSecond: number; burst: number };
}

/**
 * The agent side, in the tab that holds the connection: wires the socket to
 * presence (the pure rules of presence-view.ts), offers, work and
 * conversations (events in seq order, replies through the outbox), and
 * carries out the agent's commands.
 */
export class AgentEngine {
  readonly snapshot$ = new BehaviorSubject<AgentSnapshot>(INITIAL_AGENT_SNAPSHOT);
  readonly notices$ = new Subject<AgentNotice>();
  readonly #options: AgentEngineOptions;
  readonly #connection: Connection;
  readonly #requests: Requests;
  readonly #offers: Offers;
  readonly #activity: ActivityReporter;
  /** Transcripts in seq order, and replies through the outbox. */
  readonly conversations: AgentConversations;
  readonly #serial = new SerialQueue();
  readonly #receipts: ReceiptReporter;
  readonly #subscriptions: Subscription[] = [];
  #grace: Subscription | undefined;
  /** One per browser for the agent role, kept in the store: the same for every tab that leads. */
  #browserId = '';

  constructor(options: AgentEngineOptions) {
    this.#options = options;
    this.#connection = connectTo(options, () => ({ role: 'agent', browserId: this.#browserId, token: options.token, cursors: this.conversations.cursors() }));
    this.#requests = new Requests(this.#connection, options.newId);
    this.#receipts = new ReceiptReporter((sessionId, marks) => this.#connection.send({ type: 'receipt', sessionId, ...marks }), options.scheduler);
    this.#offers = new Offers(options.scheduler, options.now);
    this.#activity = new ActivityReporter({ scheduler: options.scheduler, everyMs: options.activityEveryMs, report: (at) => this.#connection.send({ type: 'activity', at }) });
    this.conversations = new AgentConversations({
      ...options,
      send: (frame) => this.#connection.send(frame),
      applied: (sessionId, added) => {
        this.#dispatch({ type: 'transcript', sessionId, added, outbox: this.conversations.outbox.state$.value });
        // I4: what the customer sent has reached the agent's client.
        if (added.some((row) => (row.event as { from?: string }).from === 'customer')) this.#receipt(sessionId, false);
      },
    });
  }

  /** Reads what the store kept (a reload, or a tab taking over), then connects. */
  async start(): Promise<void> {
    const { store, newId } = this.#options;
    const record = await store.readRecord();
    this.#browserId = record.browserId ?? newId();
    if (!record.browserId) await store.writeRecord({ ...record, browserId: this.#browserId });
    await this.conversations.load();
    this.#subscriptions.push(
      this.#connection.frames$.subscribe((frame) => this.#receive(frame)),
      this.#connection.state$.subscribe((state) => this.#connectionChanged(state)),
      this.#offers.list$.subscribe((offers) => this.#dispatch({ type: 'offers', offers })),
      this.conversations.outbox.state$.subscribe((outbox) => this.#dispatch({ type: 'outbox', outbox })),
    );
    this.#connection.start();
  }

  stop(): void {
    this.#connection.stop();
    this.#grace?.unsubscribe();
    this.#activity.stop();
    this.#offers.stop();
    this.conversations.outbox.stop();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** A base status or a custom status id; for one office, or all (A2, A4, P8). */
  async setStatus(status: string, office?: string): Promise<void> {
    const { agentId, now } = this.#options;
    if (status === 'available' || status === 'away' || status === 'offline') this.#presence({ type: 'manual', status, office, agentId, at: now() });
    this.recordActivity(now());
    await this.#requests.send({ type: 'presence', status, ...(office ? { office } : {}) });
  }

  /** A command the service answers with nothing to keep (reset-presence, logout, end-session, close-work, consult). */
  async request(frame: CommandFrame): Promise<void> {
    await this.#requests.send(frame);
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

  /** I4: the agent has seen the session so far (the console shows it). */
  markRead(sessionId: string): void {
    this.#receipt(sessionId, true);
  }

  /** Receipts are the session's own agent's: a consultant reads unseen (P4), and the service would refuse them. */
  #receipt(sessionId: string, read: boolean): void {
    const own = this.snapshot$.value.work.some((item) => item.sessionId === sessionId && item.phase !== 'consult');
    if (own) this.#receipts.report(sessionId, this.conversations.cursors()[sessionId] ?? 0, read);
  }

  setTyping(sessionId: string, on: boolean): void {
    this.#connection.send({ type: 'agent-typing', sessionId, on });
  }

  /** A3: the latest input time in any of the agent's tabs. */
  recordActivity(at: number): void {
    this.#activity.record(at);
  }

  #receive(frame: ServerFrame): void {
    const { outbox } = this.conversations;
    switch (frame.type) {
      case 'welcome':
        this.#receipts.reconnected();
        return void outbox.flush();
      case 'presence':
        return this.#presence({ type: 'server', presence: frame.presence });
      case 'offer':
        return this.#offers.add(frame);
      case 'offer-withdrawn':
        return this.#offers.remove(frame.offerId);
      case 'work':
        this.#dispatch({ type: 'work', items: frame.items });
        // I4: a chat just taken may have arrived before it was the agent's own: it has reached this client too.
        for (const item of frame.items) this.#receipt(item.sessionId, false);
        return;
      case 'event':
        // Stored one after the other, so the cursor only moves over rows that are kept.
        return void this.#serial.run(() => this.conversations.apply(frame));
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
      case 'receipt':
        if (frame.by === 'customer') this.#dispatch({ type: 'receipt', sessionId: frame.sessionId, marks: { delivered: frame.delivered, read: frame.read } });
        return;
      case 'ack':
        void outbox.acknowledged(frame.cmid);
        return this.#requests.answer(frame);
      case 'error':
        // A refused reply: queued again when a later try can succeed, else failed with its text kept.
        if (frame.ref !== undefined) outbox.failed(frame.ref, frame.code, frame.message);
        return this.#requests.answer(frame);
      case 'result':
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
      this.conversations.outbox.disconnected();
      // P7: the service holds presence for its grace; past it, show what the service will have done.
      if (this.snapshot$.value.presence.view && !this.#grace && state.status !== 'closed') {
        this.#grace = this.#options.scheduler.schedule(() => this.#presence({ type: 'grace-expired', at: this.#options.now() }), this.#options.disconnectGraceMs);
      }
    }
    this.#dispatch({ type: 'connection', state });
  }

  #presence(event: AgentPresenceEvent): void {
    this.#dispatch({ type: 'presence', event });
  }

  #dispatch(event: AgentEvent): void {
    const next = reduceAgent(this.snapshot$.value, event);
    if (next !== this.snapshot$.value) this.snapshot$.next(next);
  }
}
