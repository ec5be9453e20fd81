import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { Availability, ServerFrame, SessionEvent } from '@parley/protocol';
import { holdAvailability } from '../availability/hold-availability.js';
import type { Connection } from '../connection/connection.js';
import { Requests } from '../connection/requests.js';
import { connectTo, type EngineEnvironment } from '../engine/engine-environment.js';
import { SerialQueue } from '../engine/serial-queue.js';
import { ParleyError } from '../errors/parley-error.js';
import { Outbox } from '../outbox/outbox.js';
import type { ChatStore, ClientRecord, TranscriptRow } from '../storage/chat-store.js';
import { Transcripts } from '../transcript/transcripts.js';
import { ChatHttp, type OfflineMessage } from './chat-http.js';
import { INITIAL_CHAT_STATE, reduceChat, type ChatEvent, type ChatNotice, type ChatSnapshot, type ChatState } from './chat-state.js';

/** Sends of one `start` across dropped connections before the caller hears `disconnected`. */
const START_ATTEMPTS = 5;

export interface ChatEngineOptions extends EngineEnvironment {
  button: string;
  store: ChatStore;
  fetch: typeof fetch;
  /** M5: how long availability is held, stale, while the service is unreachable. */
  availabilityGraceMs: number;
  /** How long a message the service could not take yet waits before it is tried again. */
  retryQueuedMs: number;
}

/**
 * The customer side of a chat, in the tab that holds the connection: wires
 * the socket to the transcript (events in seq order, stored with `lastSeq`),
 * the outbox (stored before the first send, kept until acknowledged), the
 * client's record and the view reducer.
 */
export class ChatEngine {
  readonly snapshot$ = new BehaviorSubject<ChatSnapshot>(INITIAL_CHAT_STATE.snapshot);
  readonly notices$ = new Subject<ChatNotice>();
  readonly #options: ChatEngineOptions;
  readonly #connection: Connection;
  readonly #requests: Requests;
  readonly #http: ChatHttp;
  readonly #transcripts: Transcripts;
  readonly #outbox: Outbox;
  readonly #availability$ = new Subject<Availability>();
  readonly #serial = new SerialQueue();
  readonly #subscriptions: Subscription[] = [];
  #state: ChatState = INITIAL_CHAT_STATE;
  #record: ClientRecord = {};
  #startRef: string | undefined;

  constructor(options: ChatEngineOptions) {
    this.#options = options;
    this.#connection = connectTo(options, () => ({
      role: 'customer',
      browserId: this.#record.browserId!,
      button: options.button,
      ...(this.#record.resumeToken && this.#record.sessionId ? { resumeToken: this.#record.resumeToken, lastSeq: this.#transcripts.lastSeq(this.#record.sessionId) } : {}),
    }));
    this.#requests = new Requests(this.#connection, options.newId);
    this.#http = new ChatHttp(options.endpoint, options.fetch);
    this.#transcripts = new Transcripts(options.store);
    this.#outbox = new Outbox({
      ...options,
      scope: () => (this.#record.sessionId ? { sessionId: this.#record.sessionId } : undefined),
      frame: (entry) => ({ type: 'message', ref: entry.cmid, cmid: entry.cmid, text: entry.text }),
      send: (frame) => this.#connection.send(frame),
    });
  }

  /** Reads what the store kept (a reload, or a tab taking over), then connects. */
  async start(): Promise<void> {
    const { store, scheduler, availabilityGraceMs, now } = this.#options;
    this.#record = await store.readRecord();
    if (!this.#record.browserId) await this.#save({ browserId: this.#options.newId() });
    if (this.#record.sessionId) await this.#enterSession(this.#record.sessionId);
    this.#subscriptions.push(
      this.#connection.frames$.subscribe((frame) => void this.#serial.run(() => this.#receive(frame))),
      this.#connection.state$.subscribe((state) => {
        if (state.status !== 'open') this.#disconnected();
        this.#dispatch({ type: 'connection', state, at: now() });
      }),
      this.#outbox.state$.subscribe((outbox) => this.#dispatch({ type: 'outbox', outbox })),
      this.#availability$.pipe(holdAvailability(this.#connection.state$, availabilityGraceMs, scheduler)).subscribe((availability) => this.#dispatch({ type: 'availability', availability, at: now() })),
    );
    this.#connection.start();
    void this.#readAvailability();
  }

  stop(): void {
    this.#connection.stop();
    this.#outbox.stop();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
  }

  /**
   * Starts a chat with the pre-chat fields (C3). Its `startId` is stored before
   * the first send, like a message's cmid: when a drain or crash eats the
   * answer, the same start goes again after the reconnect (here, or from the
   * tab that takes over) and the service answers with the chat it created.
   */
  async startChat(prechat: Record<string, string>): Promise<string> {
    // Messages keep the name the service will store them under, from the outbox on (C4).
    await this.#save({ customerName: prechat.name?.trim() || undefined });
    const startId = this.#record.startId ?? this.#options.newId();
    if (startId !== this.#record.startId) await this.#save({ startId });
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.#requests.send({ type: 'start', startId, prechat }, (ref) => (this.#startRef = ref));
        if (answer.type !== 'result') throw new ParleyError('bad_answer', 'The service answered start unexpectedly.');
        return (answer.data as { sessionId: string }).sessionId;
      } catch (error) {
        if (!(error instanceof ParleyError) || error.code !== 'disconnected' || attempt >= START_ATTEMPTS) throw error;
      }
    }
  }

  /** Queues a message: stored in the outbox first, then sent when connected. Resolves with its id once stored. */
  async send(text: string): Promise<string> {
    const sessionId = this.#record.sessionId;
    if (!sessionId) throw new ParleyError('no_session', 'Start a chat first.');
    return (await this.#outbox.enqueue(sessionId, text)).cmid;
  }

  /** Sends again a message that failed. */
  retry(cmid: string): Promise<void> {
    return this.#outbox.retry(cmid);
  }

  /** Sends what waits in the outbox, including entries other tabs wrote. */
  flush(): Promise<void> {
    return this.#outbox.flush();
  }

  setTyping(on: boolean): void {
    if (this.#record.sessionId) this.#connection.send({ type: 'typing', on });
  }

  async end(): Promise<void> {
    await this.#requests.send({ type: 'end' });
  }

  /** C2: a message for when nobody can answer, stored by the service. */
  leaveMessage(message: OfflineMessage): Promise<void> {
    return this.#http.leaveMessage(this.#options.button, message);
  }

  async #receive(frame: ServerFrame): Promise<void> {
    switch (frame.type) {
      case 'welcome':
        return this.#welcome(frame);
      case 'event':
        if (frame.sessionId === this.#record.sessionId) await this.#applied(await this.#transcripts.apply(frame));
        return;
      case 'ack':
        return this.#outbox.acknowledged(frame.cmid);
      case 'result':
        if (frame.ref !== undefined && frame.ref === this.#startRef) await this.#adopt(frame.data as { sessionId: string; resumeToken: string });
        this.#requests.answer(frame);
        return;
      case 'error':
        if (frame.ref !== undefined) this.#outbox.failed(frame.ref, frame.code, frame.message);
        this.#requests.answer(frame);
        return;
      case 'availability':
        this.#availability$.next(frame);
        return;
      case 'queue':
        if (frame.sessionId === this.#record.sessionId) this.#dispatch({ type: 'queue', position: frame.position });
        return;
      case 'typing':
        if (frame.sessionId === this.#record.sessionId && frame.from === 'agent') this.#dispatch({ type: 'typing', on: frame.on });
        return;
      case 'notice':
        // Agents alone hear that a window is over; customers see it in availability.
        if (frame.kind === 'maintenance-ended') return;
        this.notices$.next(frame.kind === 'read-only' ? { kind: 'read-only', on: frame.on } : { kind: frame.kind, window: frame.window });
        return;
      default:
        return;
    }
  }

  async #welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): Promise<void> {
    const epochChanged = this.#record.epoch !== undefined && this.#record.epoch !== frame.epoch;
    await this.#save({ epoch: frame.epoch });
    const { sessionId } = this.#record;
    if (sessionId && frame.sessionId !== sessionId) {
      // The service no longer knows this session (its data was reset): start afresh.
      await this.#save({ sessionId: undefined, resumeToken: undefined });
      this.#outbox.reset();
      this.#dispatch({ type: 'session', sessionId: undefined });
    } else if (sessionId && (frame.replay === 'transcript' || epochChanged)) {
      await this.#reread(sessionId);
    }
    if (frame.resumeToken) await this.#save({ resumeToken: frame.resumeToken });
    void this.#outbox.flush();
  }

  /** Takes the session a `start` created, before any of its events are handled (they follow the result). */
  async #adopt(data: { sessionId: string; resumeToken: string }): Promise<void> {
    // The next chat is a new start.
    await this.#save({ sessionId: data.sessionId, resumeToken: data.resumeToken, startId: undefined });
    this.#outbox.reset();
    this.#dispatch({ type: 'session', sessionId: data.sessionId, customerName: this.#record.customerName });
  }

  /** A reload or a tab taking over: the stored transcript, cursor and outbox of the open session. */
  async #enterSession(sessionId: string): Promise<void> {
    await this.#transcripts.load(sessionId);
    this.#dispatch({ type: 'session', sessionId, customerName: this.#record.customerName });
    this.#dispatch({ type: 'transcript', rows: this.#transcripts.rows(sessionId), added: [] });
    await this.#outbox.flush();
  }

  async #applied(added: TranscriptRow[]): Promise<void> {
    if (added.length === 0) return;
    for (const row of added) {
      const event = row.event as SessionEvent;
      if (event.kind === 'message' && event.cmid) await this.#outbox.acknowledged(event.cmid);
      if (event.kind === 'agent-joined') this.notices$.next({ kind: 'agent-joined', agent: event.agent });
      if (event.kind === 'agent-changed') this.notices$.next({ kind: 'agent-changed', agent: event.agent, previous: event.previous });
    }
    this.#dispatch({ type: 'transcript', rows: this.#transcripts.rows(added[0]!.sessionId), added });
  }

  /** When the service cannot replay: the whole transcript over HTTP, replacing ours. */
  async #reread(sessionId: string): Promise<void> {
    const body = await this.#http.transcript(this.#record.resumeToken!);
    const rows = body.events.map((event): TranscriptRow => ({ sessionId: body.sessionId, seq: event.seq, at: event.at, event: event.event }));
    await this.#transcripts.replace(sessionId, rows, body.lastSeq);
    this.#dispatch({ type: 'transcript', rows, added: [] });
  }

  #disconnected(): void {
    this.#outbox.disconnected();
    this.#requests.dropAll();
  }

  async #save(patch: Partial<ClientRecord>): Promise<void> {
    this.#record = { ...this.#record, ...patch };
    await this.#options.store.writeRecord(this.#record);
  }

  /** The first paint needs no socket: the cacheable HTTP read. */
  async #readAvailability(): Promise<void> {
    const availability = await this.#http.availability(this.#options.button).catch(() => undefined);
    // Unreachable: the socket's reconnect loop and the availability hold say so.
    if (availability && this.#state.snapshot.availability === undefined) this.#availability$.next(availability);
  }

  #dispatch(event: ChatEvent): void {
    const next = reduceChat(this.#state, event);
    if (next === this.#state) return;
    const previous = this.#state.snapshot;
    this.#state = next;
    if (next.snapshot !== previous) this.snapshot$.next(next.snapshot);
  }
}
