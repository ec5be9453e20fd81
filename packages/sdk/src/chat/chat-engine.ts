import { BehaviorSubject, Subject, type Subscription } from 'rxjs';
import type { Availability, ServerFrame } from '@parley/protocol';
import { holdAvailability } from '../availability/hold-availability.js';
import type { Connection } from '../connection/connection.js';
import { Requests } from '../connection/requests.js';
import { connectTo, type EngineEnvironment } from '../engine/engine-environment.js';
import { SerialQueue } from '../engine/serial-queue.js';
import { ParleyError } from '../errors/parley-error.js';
import { Outbox } from '../outbox/outbox.js';
import { ReceiptReporter } from '../receipts/receipt-reporter.js';
import type { ChatStore } from '../storage/chat-store.js';
import { ChatHttp, type OfflineMessage } from './chat-http.js';
import { ChatSession } from './chat-session.js';
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
  /** I1: the signed-in user's token, sent in every `hello`. */
  userToken?: string | undefined;
}

/**
 * The customer side of a chat, in the tab that holds the connection: wires
 * the socket to the session (record and transcript, events in seq order,
 * stored with `lastSeq`), the outbox (stored before the first send, kept
 * until acknowledged) and the view reducer.
 */
export class ChatEngine {
  readonly snapshot$ = new BehaviorSubject<ChatSnapshot>(INITIAL_CHAT_STATE.snapshot);
  readonly notices$ = new Subject<ChatNotice>();
  readonly #options: ChatEngineOptions;
  readonly #connection: Connection;
  readonly #requests: Requests;
  readonly #http: ChatHttp;
  readonly #session: ChatSession;
  readonly #outbox: Outbox;
  readonly #receipts: ReceiptReporter;
  readonly #availability$ = new Subject<Availability>();
  readonly #serial = new SerialQueue();
  readonly #subscriptions: Subscription[] = [];
  #state: ChatState = INITIAL_CHAT_STATE;
  #startRef: string | undefined;
  #userToken: string | undefined;
  /** I1: settles `identify` (and any earlier one still waiting) when the service answers the new hello. */
  #identified: ((error?: ParleyError) => void) | undefined;

  constructor(options: ChatEngineOptions) {
    this.#options = options;
    this.#userToken = options.userToken;
    this.#connection = connectTo(options, () => ({
      role: 'customer',
      browserId: this.#session.record.browserId!,
      button: options.button,
      ...this.#session.resume(),
      // Left out of the frame while undefined.
      userToken: this.#userToken,
    }));
    this.#requests = new Requests(this.#connection, options.newId);
    this.#receipts = new ReceiptReporter((_, marks) => this.#connection.send({ type: 'receipt', ...marks }), options.scheduler);
    this.#http = new ChatHttp(options.endpoint, options.fetch);
    this.#session = new ChatSession({
      ...options,
      http: this.#http,
      outbox: () => this.#outbox,
      dispatch: (event) => this.#dispatch(event),
      notify: (notice) => this.notices$.next(notice),
    });
    this.#outbox = new Outbox({
      ...options,
      scope: () => (this.#session.sessionId ? { sessionId: this.#session.sessionId } : undefined),
      frame: (entry) => ({ type: 'message', ref: entry.cmid, cmid: entry.cmid, text: entry.text || undefined, attachment: entry.attachment?.id }),
      send: (frame) => this.#connection.send(frame),
    });
  }

  /** Reads what the store kept (a reload, or a tab taking over), then connects. */
  async start(): Promise<void> {
    const { scheduler, availabilityGraceMs, now } = this.#options;
    await this.#session.load();
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
    const session = this.#session;
    await session.save({ customerName: prechat.name?.trim() || undefined });
    const startId = session.record.startId ?? this.#options.newId();
    if (startId !== session.record.startId) await session.save({ startId });
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

  /**
   * I1: signs the customer in as the user the token names: the socket says `hello` again with it.
   * Resolves once the service took it; rejects with `bad_identity` when it refused it.
   */
  identify(userToken: string): Promise<void> {
    return new Promise((resolve, reject) => {
      // In turn with the frames: a welcome still queued from the socket before settles nothing of this one.
      void this.#serial.run(async () => {
        this.#userToken = userToken;
        const earlier = this.#identified;
        this.#identified = (error) => {
          earlier?.(error);
          if (error) reject(error);
          else resolve();
        };
        this.#connection.reconnect();
      });
    });
  }

  /** Queues a message: stored in the outbox first, then sent when connected. Resolves with its id once stored. */
  async send(text: string): Promise<string> {
    const { sessionId } = this.#session;
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
    if (this.#session.sessionId) this.#connection.send({ type: 'typing', on });
  }

  async end(): Promise<void> {
    await this.#requests.send({ type: 'end' });
  }

  /** I3: rates the ended chat (1–5, an optional comment); a later rating replaces it. */
  async rate(score: number, comment = ''): Promise<void> {
    await this.#requests.send({ type: 'rate', score, comment });
  }

  /** I4: the customer has seen the conversation so far (the page shows it). */
  markRead(): void {
    this.#receipt(true);
  }

  #receipt(read: boolean): void {
    const { sessionId } = this.#session;
    if (sessionId) this.#receipts.report(sessionId, this.#session.lastSeq(), read);
  }

  /** C2: a message for when nobody can answer, stored by the service. */
  leaveMessage(message: OfflineMessage): Promise<void> {
    return this.#http.leaveMessage(this.#options.button, message);
  }

  async #receive(frame: ServerFrame): Promise<void> {
    switch (frame.type) {
      case 'welcome':
        this.#receipts.reconnected();
        // Settled once the welcome is applied, so the user's chat is already this client's.
        await this.#session.welcome(frame);
        return this.#identify();
      case 'event':
        await this.#session.apply(frame);
        // I4: what the agent sent has reached this client.
        if (frame.event.kind === 'message' && frame.event.from === 'agent') this.#receipt(false);
        return;
      case 'receipt':
        if (frame.sessionId === this.#session.sessionId && frame.by === 'agent') this.#dispatch({ type: 'receipt', marks: { delivered: frame.delivered, read: frame.read } });
        return;
      case 'ack':
        return this.#outbox.acknowledged(frame.cmid);
      case 'result':
        if (frame.ref !== undefined && frame.ref === this.#startRef) await this.#session.adopt(frame.data as { sessionId: string; resumeToken: string });
        this.#requests.answer(frame);
        return;
      case 'error':
        if (frame.code === 'bad_identity') {
          this.#identify(new ParleyError(frame.code, frame.message));
          this.notices$.next({ kind: 'identity-refused', message: frame.message });
        }
        if (frame.ref !== undefined) this.#outbox.failed(frame.ref, frame.code, frame.message);
        this.#requests.answer(frame);
        return;
      case 'availability':
        this.#availability$.next(frame);
        return;
      case 'queue':
        if (frame.sessionId === this.#session.sessionId) this.#dispatch({ type: 'queue', position: frame.position });
        return;
      case 'typing':
        if (frame.sessionId === this.#session.sessionId && frame.from === 'agent') this.#dispatch({ type: 'typing', on: frame.on });
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

  #identify(error?: ParleyError): void {
    this.#identified?.(error);
    this.#identified = undefined;
  }

  #disconnected(): void {
    this.#outbox.disconnected();
    this.#requests.dropAll();
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
