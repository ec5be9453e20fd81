import { BehaviorSubject, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { holdAvailability, type AvailabilityView } from '../availability/hold-availability.js';
import { Connection, type ConnectionState } from '../connection/connection.js';
import { Requests } from '../connection/requests.js';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';
import { ParleyError } from '../errors/parley-error.js';
import { LIMITS, type Availability, type MaintenanceWindow, type ServerFrame, type AgentRef, type SequencedEvent, type SessionEvent } from '@parley/protocol';
import type { ChatStore, OutboxEntry, TranscriptRow } from '../storage/chat-store.js';
import { ChatHttp } from './chat-http.js';
import { messageList, sessionView, type ChatMessage, type OutboxStatus, type SessionView } from './chat-view.js';
import { sequence, type SequencerState } from './sequencer.js';

/** Things worth telling the customer once, as they happen. */
export type ChatNotice =
  | { kind: 'agent-joined'; agent: AgentRef }
  | { kind: 'agent-changed'; agent: AgentRef; previous: AgentRef }
  | { kind: 'maintenance-planned' | 'maintenance-cancelled'; window: MaintenanceWindow }
  | { kind: 'read-only'; on: boolean };

/** Everything a UI renders, in one value (what the leader tab shares with the others). */
export interface ChatSnapshot {
  connection: ConnectionState;
  availability: AvailabilityView | undefined;
  session: SessionView;
  messages: ChatMessage[];
  typing: boolean;
}

export interface ChatEngineOptions {
  /** The service's base URL, e.g. `https://chat.example.com`. */
  endpoint: string;
  button: string;
  store: ChatStore;
  WebSocket: WebSocketConstructor;
  fetch: typeof fetch;
  scheduler: SchedulerLike;
  random: () => number;
  wake$: Observable<unknown>;
  newId: () => string;
  now: () => number;
  availabilityGraceMs: number;
  timing?: Partial<ReconnectTiming>;
}

/** Codes after which re-sending the same message later can succeed: it stays queued. */
const RETRYABLE = new Set(['read_only', 'rate_limited', 'draining', 'internal', 'no_session']);
const RETRY_QUEUED_MS = 5_000;

/**
 * The customer side of a chat, in the tab that holds the connection: the
 * socket, the transcript with its `lastSeq`, the outbox, and the view they
 * make. Exactly-once both ways: events are applied by seq and stored with
 * `lastSeq` in one transaction; messages go to the outbox before the first
 * send and leave it only when acknowledged.
 */
export class ChatEngine {
  readonly snapshot$: BehaviorSubject<ChatSnapshot>;
  readonly notices$ = new Subject<ChatNotice>();
  readonly #options: ChatEngineOptions;
  readonly #connection: Connection;
  readonly #availability$ = new Subject<Availability>();
  readonly #requests: Requests;
  readonly #http: ChatHttp;
  readonly #statuses = new Map<string, OutboxStatus>();
  readonly #subscriptions: Subscription[] = [];
  #browserId = '';
  #sessionId: string | undefined;
  #resumeToken: string | undefined;
  #epoch: string | undefined;
  #rows: TranscriptRow[] = [];
  #outbox: OutboxEntry[] = [];
  #sequencer: SequencerState = { lastSeq: 0, early: new Map() };
  #position: number | undefined;
  #typing = false;
  #availability: AvailabilityView | undefined;
  #writes: Promise<void> = Promise.resolve();
  #retry: Subscription | undefined;
  #startRef: string | undefined;

  constructor(options: ChatEngineOptions) {
    this.#options = options;
    this.snapshot$ = new BehaviorSubject<ChatSnapshot>({ connection: { status: 'connecting' }, availability: undefined, session: { state: 'none' }, messages: [], typing: false });
    const url = `${options.endpoint.replace(/^http/, 'ws').replace(/\/$/, '')}/v1/socket`;
    this.#connection = new Connection({
      url,
      WebSocket: options.WebSocket,
      scheduler: options.scheduler,
      random: options.random,
      wake$: options.wake$,
      timing: options.timing,
      hello: () => ({
        role: 'customer',
        browserId: this.#browserId,
        button: options.button,
        ...(this.#resumeToken ? { resumeToken: this.#resumeToken, lastSeq: this.#sequencer.lastSeq } : {}),
      }),
    });
    this.#requests = new Requests(this.#connection, options.newId);
    this.#http = new ChatHttp(options.endpoint, options.fetch);
  }

  /** Reads what the store kept (a reload, or a tab taking over), then connects. */
  async start(): Promise<void> {
    const { store } = this.#options;
    this.#browserId = (await store.getMeta('browserId')) ?? this.#options.newId();
    await store.setMeta('browserId', this.#browserId);
    this.#sessionId = await store.getMeta('sessionId');
    this.#resumeToken = await store.getMeta('resumeToken');
    this.#epoch = await store.getMeta('epoch');
    if (this.#sessionId) await this.#load(this.#sessionId);
    this.#subscriptions.push(
      this.#connection.frames$.subscribe((frame) => this.#serially(() => this.#receive(frame))),
      this.#connection.state$.subscribe((state) => {
        if (state.status !== 'open') this.#disconnected();
        this.#publish();
      }),
      this.#availability$.pipe(holdAvailability(this.#connection.state$, this.#options.availabilityGraceMs, this.#options.scheduler)).subscribe((availability) => {
        this.#availability = availability;
        this.#publish();
      }),
    );
    this.#connection.start();
    this.#publish();
    void this.#readAvailability();
  }

  stop(): void {
    this.#connection.stop();
    this.#retry?.unsubscribe();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** Starts a chat with the pre-chat fields (C3). */
  async startChat(prechat: Record<string, string>): Promise<string> {
    const answer = await this.#requests.send({ type: 'start', prechat }, (ref) => (this.#startRef = ref));
    if (answer.type !== 'result') throw new ParleyError('bad_answer', 'The service answered start unexpectedly.');
    return (answer.data as { sessionId: string }).sessionId;
  }

  /** Takes the session a `start` created, before any of its events are handled (they follow the result). */
  async #adopt(data: Record<string, unknown>): Promise<void> {
    const { sessionId, resumeToken } = data as { sessionId: string; resumeToken: string };
    this.#sessionId = sessionId;
    this.#resumeToken = resumeToken;
    this.#rows = [];
    this.#outbox = [];
    this.#position = undefined;
    this.#sequencer = { lastSeq: 0, early: new Map() };
    await this.#options.store.setMeta('sessionId', sessionId);
    await this.#options.store.setMeta('resumeToken', resumeToken);
    this.#publish();
  }

  /**
   * Queues a message: stored in the outbox first, then sent when connected.
   * Resolves with its id once it is safely stored; its status moves on in `messages`.
   */
  async send(text: string): Promise<string> {
    if (text.trim().length === 0 || text.length > LIMITS.textLength) throw new ParleyError('bad_text', `A message is 1 to ${LIMITS.textLength} characters.`);
    const sessionId = this.#sessionId;
    if (!sessionId) throw new ParleyError('no_session', 'Start a chat first.');
    const entry: OutboxEntry = { cmid: this.#options.newId(), sessionId, text, createdAt: this.#options.now() };
    await this.#options.store.enqueue(entry);
    this.#outbox.push(entry);
    this.#publish();
    this.flush();
    return entry.cmid;
  }

  /** Sends again a message that failed. */
  retry(cmid: string): void {
    this.#statuses.delete(cmid);
    this.#publish();
    this.flush();
  }

  /** Sends what waits in the outbox, including entries other tabs wrote. */
  flush(): void {
    void this.#serially(async () => {
      if (!this.#sessionId) return;
      const stored = await this.#options.store.pending(this.#sessionId);
      this.#outbox = stored;
      for (const entry of stored) {
        const status = this.#statuses.get(entry.cmid)?.status;
        if (status === 'sending' || status === 'failed') continue;
        if (!this.#connection.send({ type: 'message', ref: entry.cmid, cmid: entry.cmid, text: entry.text })) break;
        this.#statuses.set(entry.cmid, { status: 'sending' });
      }
      this.#publish();
    });
  }

  setTyping(on: boolean): void {
    if (this.#sessionId) this.#connection.send({ type: 'typing', on });
  }

  async end(): Promise<void> {
    await this.#requests.send({ type: 'end' });
  }

  /** C2: a message for when nobody can answer, stored by the service. */
  leaveMessage(message: { name: string; email: string; text: string }): Promise<void> {
    return this.#http.leaveMessage(this.#options.button, message);
  }

  async #receive(frame: ServerFrame): Promise<void> {
    switch (frame.type) {
      case 'welcome':
        await this.#welcome(frame);
        return;
      case 'event':
        await this.#apply(frame);
        return;
      case 'ack':
        await this.#acknowledged(frame.cmid);
        return;
      case 'result':
        if (frame.ref !== undefined && frame.ref === this.#startRef) await this.#adopt(frame.data);
        this.#requests.answer(frame);
        return;
      case 'error':
        this.#failed(frame.ref, frame.code, frame.message);
        this.#requests.answer(frame);
        return;
      case 'availability':
        this.#availability$.next(frame);
        return;
      case 'queue':
        if (frame.sessionId === this.#sessionId) this.#position = frame.position;
        break;
      case 'typing':
        if (frame.sessionId === this.#sessionId && frame.from === 'agent') this.#typing = frame.on;
        break;
      case 'notice':
        this.notices$.next(frame.kind === 'read-only' ? { kind: 'read-only', on: frame.on } : { kind: frame.kind, window: frame.window });
        return;
      default:
        return;
    }
    this.#publish();
  }

  async #welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): Promise<void> {
    const { store } = this.#options;
    const epochChanged = this.#epoch !== undefined && this.#epoch !== frame.epoch;
    this.#epoch = frame.epoch;
    await store.setMeta('epoch', frame.epoch);
    if (this.#sessionId && frame.sessionId !== this.#sessionId) {
      // The service no longer knows this session (its data was reset): start afresh.
      await this.#forgetSession();
    } else if (this.#sessionId && (frame.replay === 'transcript' || epochChanged)) {
      await this.#reread();
    }
    if (frame.resumeToken) {
      this.#resumeToken = frame.resumeToken;
      await store.setMeta('resumeToken', frame.resumeToken);
    }
    this.flush();
  }

  async #apply(frame: SequencedEvent): Promise<void> {
    if (frame.sessionId !== this.#sessionId) return;
    const result = sequence(this.#sequencer, { sessionId: frame.sessionId, seq: frame.seq, at: frame.at, event: frame.event });
    if (result.ready.length === 0) {
      this.#sequencer = result.state;
      return;
    }
    const rows = result.ready.map((event): TranscriptRow => ({ sessionId: event.sessionId, seq: event.seq, at: event.at, event: event.event }));
    // Rows and the watermark in one transaction: never a lastSeq without its rows.
    await this.#options.store.append(frame.sessionId, rows, result.state.lastSeq);
    this.#sequencer = result.state;
    this.#rows.push(...rows);
    for (const row of rows) {
      const event = row.event as SessionEvent;
      if (event.kind === 'message' && event.cmid) await this.#acknowledged(event.cmid);
      if (event.kind === 'agent-joined') this.notices$.next({ kind: 'agent-joined', agent: event.agent });
      if (event.kind === 'agent-changed') this.notices$.next({ kind: 'agent-changed', agent: event.agent, previous: event.previous });
      if (event.kind === 'state' && event.state !== 'waiting') this.#position = undefined;
      if (event.kind === 'message' && event.from === 'agent') this.#typing = false;
    }
    this.#publish();
  }

  async #acknowledged(cmid: string): Promise<void> {
    if (!this.#outbox.some((entry) => entry.cmid === cmid)) return;
    await this.#options.store.acknowledge(cmid);
    this.#outbox = this.#outbox.filter((entry) => entry.cmid !== cmid);
    this.#statuses.delete(cmid);
    this.#publish();
  }

  #failed(ref: string | undefined, code: string, message: string): void {
    if (ref && this.#outbox.some((entry) => entry.cmid === ref)) {
      if (RETRYABLE.has(code)) {
        // The service could not store it yet (M6): it waits in the outbox and is tried again.
        this.#statuses.delete(ref);
        this.#retry?.unsubscribe();
        this.#retry = this.#options.scheduler.schedule(() => this.flush(), RETRY_QUEUED_MS);
      } else {
        this.#statuses.set(ref, { status: 'failed', error: message });
      }
      this.#publish();
    }
  }

  #disconnected(): void {
    // Whatever was in flight is sent again after the reconnect; the service's cmid check makes that safe.
    for (const [cmid, status] of this.#statuses) if (status.status === 'sending') this.#statuses.delete(cmid);
    this.#requests.dropAll();
  }

  async #load(sessionId: string): Promise<void> {
    const { store } = this.#options;
    this.#rows = await store.transcript(sessionId);
    this.#sequencer = { lastSeq: await store.lastSeq(sessionId), early: new Map() };
    this.#outbox = await store.pending(sessionId);
  }

  /** When the service cannot replay: the whole transcript over HTTP, replacing ours. */
  async #reread(): Promise<void> {
    const body = await this.#http.transcript(this.#resumeToken!);
    const rows = body.events.map((event): TranscriptRow => ({ sessionId: body.sessionId, seq: event.seq, at: event.at, event: event.event }));
    await this.#options.store.replace(body.sessionId, rows, body.lastSeq);
    this.#rows = rows;
    this.#sequencer = { lastSeq: body.lastSeq, early: new Map() };
  }

  async #forgetSession(): Promise<void> {
    this.#sessionId = undefined;
    this.#resumeToken = undefined;
    this.#rows = [];
    this.#outbox = [];
    this.#sequencer = { lastSeq: 0, early: new Map() };
    await this.#options.store.setMeta('sessionId', undefined);
    await this.#options.store.setMeta('resumeToken', undefined);
  }

  /** The first paint needs no socket: the cacheable HTTP read. */
  async #readAvailability(): Promise<void> {
    const availability = await this.#http.availability(this.#options.button).catch(() => undefined);
    // Unreachable: the socket's reconnect loop and the availability hold say so.
    if (availability && this.#availability === undefined) this.#availability$.next(availability);
  }

  #serially(work: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(work).catch((error: unknown) => console.warn('[parley]', error));
    return this.#writes;
  }

  /** Reconnecting during a planned window is not a fault: say maintenance, and until when (M1). */
  #connectionView(): ConnectionState {
    const state = this.#connection.state$.value;
    const window = this.#availability?.window;
    const now = this.#options.now();
    if (state.status === 'reconnecting' && window && window.startsAt <= now && now < window.endsAt) return { status: 'maintenance', until: window.endsAt };
    return state;
  }

  #publish(): void {
    this.snapshot$.next({
      connection: this.#connectionView(),
      availability: this.#availability,
      session: this.#sessionId ? sessionView(this.#rows, this.#position) : { state: 'none' },
      messages: messageList(this.#rows, this.#outbox, this.#statuses),
      typing: this.#typing,
    });
  }
}
