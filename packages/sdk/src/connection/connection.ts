import { asyncScheduler, BehaviorSubject, EMPTY, Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import { ParleyError } from '../errors/parley-error.js';
import { PROTOCOL_VERSION, readServerFrame, type ClientFrame, type HelloFields, type ServerFrame } from '@parley/protocol';
import { platformOffline$ } from '../platform/platform.js';
import { DrainMemory } from './drain-memory.js';
import { RECONNECT_DEFAULTS, type ReconnectTiming } from './reconnect-policy.js';
import { OPEN, type WebSocketConstructor, type WebSocketLike } from './web-socket-like.js';

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  /** `maintenance`: the service drained (M3), a calm "Reconnecting…"; `network` and `heartbeat`: backing off. */
  | { status: 'reconnecting'; reason: 'maintenance' | 'network' | 'heartbeat'; attempt: number; nextInMs: number }
  /** The chat client's view of `reconnecting` while a planned window is under way (M1): back after `until`. */
  | { status: 'maintenance'; until?: number | undefined }
  | { status: 'closed'; error?: ParleyError | undefined };

export interface ConnectionOptions {
  url: string;
  WebSocket: WebSocketConstructor;
  /** Builds the `hello` frame at each (re)connect, so it carries the latest `lastSeq`. */
  hello: () => HelloFields;
  scheduler?: SchedulerLike;
  random?: () => number;
  /** Emits when the network is back or a hidden page became visible: try at once. */
  wake$?: Observable<unknown>;
  /** Emits when the network is gone (default: the browser's `offline` event): reconnecting at once, not after the heartbeat. */
  offline$?: Observable<unknown>;
  timing?: Partial<ReconnectTiming> | undefined;
}

/**
 * One WebSocket to the service, kept alive: reconnects with full-jitter
 * backoff, spreads reconnects over the service's window when it drains,
 * declares a silent connection dead after heartbeat + grace, and stops for
 * good on terminal close codes. Every timer runs on `scheduler`.
 */
export class Connection {
  readonly state$ = new BehaviorSubject<ConnectionState>({ status: 'connecting' });
  /** Validated frames from the service, `welcome` included. */
  readonly frames$ = new Subject<ServerFrame>();
  readonly #options: ConnectionOptions;
  readonly #scheduler: SchedulerLike;
  readonly #timing: ReconnectTiming;
  #socket: WebSocketLike | undefined;
  #attempt = 0;
  #openedAt: number | undefined;
  readonly #drain: DrainMemory;
  #heartbeatMs = 0;
  #retry: Subscription | undefined;
  #heartbeat: Subscription | undefined;
  #wake: Subscription | undefined;
  #offline: Subscription | undefined;
  #stopped = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#timing = { ...RECONNECT_DEFAULTS, ...options.timing };
    this.#drain = new DrainMemory(this.#timing, options.random ?? Math.random);
  }

  start(): void {
    this.#wake = (this.#options.wake$ ?? EMPTY).subscribe(() => {
      if (this.state$.value.status !== 'reconnecting') return;
      this.#retry?.unsubscribe();
      this.#connect();
    });
    this.#offline = (this.#options.offline$ ?? platformOffline$()).subscribe(() => {
      // The socket may not notice for a whole heartbeat; the UI must say so now (and retry on `online`).
      const socket = this.#detach();
      if (!socket) return;
      socket.close(4000, 'offline');
      this.#closed(1006, 'offline', 'network');
    });
    this.#connect();
  }

  /** Resolves true once the connection is open (at once if it is), false after `ms` or when closed for good. */
  whenOpen(ms: number): Promise<boolean> {
    // A promise and a scheduled action: rxjs's timeout({ first, with }) without its weight in the widget.
    return new Promise((resolve) => {
      const done = new Subscription();
      const settle = (open: boolean) => {
        done.unsubscribe();
        resolve(open);
      };
      done.add(this.#scheduler.schedule(() => settle(false), ms));
      // state$ answers at once: a connection open (or closed for good) already settles it here.
      done.add(
        this.state$.subscribe((state) => {
          if (state.status === 'open' || state.status === 'closed') settle(state.status === 'open');
        }),
      );
    });
  }

  /** Sends when open; false when not (the caller keeps the frame, e.g. in the outbox). */
  send(frame: ClientFrame): boolean {
    if (this.state$.value.status !== 'open' || this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  /** I1: a new socket now, so the service hears a new `hello` (another user token). */
  reconnect(): void {
    this.#retry?.unsubscribe();
    this.#heartbeat?.unsubscribe();
    this.#detach()?.close(1000, 'new hello');
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#retry?.unsubscribe();
    this.#heartbeat?.unsubscribe();
    this.#wake?.unsubscribe();
    this.#offline?.unsubscribe();
    const socket = this.#detach();
    socket?.close(1000, 'client closed');
    this.state$.next({ status: 'closed' });
  }

  #connect(): void {
    if (this.#stopped) return;
    const { status } = this.state$.value;
    if (status !== 'reconnecting' && status !== 'connecting') this.state$.next({ status: 'connecting' });
    this.#openedAt = undefined;
    let socket: WebSocketLike;
    try {
      socket = new this.#options.WebSocket(this.#options.url);
    } catch (error) {
      this.state$.next({ status: 'closed', error: new ParleyError('bad_endpoint', `Cannot open ${this.#options.url}.`, { cause: error }) });
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      // Sent in the same turn as the open, so no frame can slip in before it.
      if (this.#socket === socket && socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, ...this.#options.hello() }));
    };
    socket.onmessage = (event) => this.#receive(socket, event.data);
    socket.onclose = (event) => {
      if (this.#socket === socket) this.#closed(event.code, event.reason, 'network');
    };
    socket.onerror = () => {};
  }

  #receive(socket: WebSocketLike, data: unknown): void {
    if (this.#socket !== socket) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      return;
    }
    const frame = readServerFrame(parsed);
    if (!frame) return;
    this.#armHeartbeat();
    switch (frame.type) {
      case 'welcome':
        this.#openedAt = this.#scheduler.now();
        this.#heartbeatMs = frame.heartbeatMs;
        this.#armHeartbeat();
        this.state$.next({ status: 'open' });
        break;
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'reconnect':
        this.#drain.announced(frame.windowMs);
        break;
    }
    this.frames$.next(frame);
  }

  #armHeartbeat(): void {
    this.#heartbeat?.unsubscribe();
    if (this.#heartbeatMs <= 0) return;
    this.#heartbeat = this.#scheduler.schedule(() => {
      // Silent too long: the network path is gone even if no close event came.
      this.#detach()?.close(4000, 'heartbeat timeout');
      this.#closed(1006, 'heartbeat timeout', 'heartbeat');
    }, this.#heartbeatMs + this.#timing.heartbeatGraceMs);
  }

  #closed(code: number, reason: string, cause: 'network' | 'heartbeat'): void {
    this.#detach();
    this.#heartbeat?.unsubscribe();
    if (this.#stopped) return;
    const now = this.#scheduler.now();
    if (this.#openedAt !== undefined && now - this.#openedAt >= this.#timing.resetAfterMs) this.#attempt = 0;
    const decision = this.#drain.decide({ code, reason }, this.#attempt, now, this.#openedAt !== undefined);
    if (decision.kind === 'terminal') {
      this.state$.next({ status: 'closed', error: new ParleyError(decision.error, reason || `The service closed the connection (${code}).`) });
      return;
    }
    if (decision.kind === 'drain') this.state$.next({ status: 'reconnecting', reason: 'maintenance', attempt: 0, nextInMs: decision.delayMs });
    else this.state$.next({ status: 'reconnecting', reason: cause, attempt: ++this.#attempt, nextInMs: decision.delayMs });
    this.#retry = this.#scheduler.schedule(() => this.#connect(), decision.delayMs);
  }

  #detach(): WebSocketLike | undefined {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // Keep swallowing errors: closing a socket that is still connecting raises one, and in Node
      // (ws) an error event with no listener would crash the process.
      socket.onerror = () => {};
    }
    return socket;
  }
}
