import { v7 as uuidv7 } from 'uuid';
import { asyncScheduler, BehaviorSubject, distinctUntilChanged, EMPTY, filter, fromEvent, map, merge, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { AvailabilityView } from '../availability/hold-availability.js';
import type { ConnectionState } from '../connection/connection.js';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';
import { ParleyError } from '../errors/parley-error.js';
import type { ChatStore } from '../storage/chat-store.js';
import { openChatStore } from '../storage/open-chat-store.js';
import { electLeader, type LocksLike } from '../tabs/leadership.js';
import { createTabChannel } from '../tabs/tab-channel.js';
import { toWire, type CommandName, type TabMessage, type WireSnapshot } from '../tabs/tab-messages.js';
import { ChatEngine, type ChatNotice, type ChatSnapshot } from './chat-engine.js';
import { transcriptText, type ChatMessage, type SessionView } from './chat-view.js';

export interface ChatClientOptions {
  /** The chat service's base URL, e.g. `https://chat.example.com`. */
  endpoint: string;
  /** The chat button (queue) this client belongs to. */
  button: string;
  /** Default: the browser's WebSocket. In Node, pass `ws`. */
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
  /** Default: IndexedDB when the platform has it, else memory. */
  store?: ChatStore;
  /** Default: `navigator.locks`. `undefined` makes this tab stand alone. */
  locks?: LocksLike | undefined;
  /** Default: the platform's. `undefined` makes this tab stand alone. */
  BroadcastChannel?: typeof BroadcastChannel | undefined;
  scheduler?: SchedulerLike;
  random?: () => number;
  /** Default: `online`, and a hidden page becoming visible. */
  wake$?: Observable<unknown>;
  /** How long availability is held, stale, while the service is unreachable (M5). Default 30 s. */
  availabilityGraceMs?: number;
  timing?: Partial<ReconnectTiming>;
}

/** A customer's chat, shared by every tab of the site (C5). Observables replay their latest value. */
export interface ChatClient {
  readonly connection$: Observable<ConnectionState>;
  readonly availability$: Observable<AvailabilityView | undefined>;
  readonly session$: Observable<SessionView>;
  readonly messages$: Observable<ChatMessage[]>;
  /** Whether the agent is typing. */
  readonly typing$: Observable<boolean>;
  readonly notices$: Observable<ChatNotice>;
  /** Whether this tab holds the connection (the others mirror it). */
  readonly leader$: Observable<boolean>;
  start(prechat?: Record<string, string>): Promise<string>;
  send(text: string): Promise<string>;
  retry(messageId: string): Promise<void>;
  setTyping(on: boolean): void;
  end(): Promise<void>;
  leaveMessage(message: { name: string; email: string; text: string }): Promise<void>;
  /** The conversation as plain text, for download (C7). */
  transcript(): string;
  close(): void;
}

const COMMAND_TIMEOUT_MS = 10_000;
const INITIAL: ChatSnapshot = { connection: { status: 'connecting' }, availability: undefined, session: { state: 'none' }, messages: [], typing: false };

/**
 * Creates the customer chat client. One tab per browser holds the socket (the
 * Web Lock holder); the others relay through BroadcastChannel and show the
 * same state. The outbox and transcript live in IndexedDB, shared by all tabs,
 * so a new leader sends what the old one left.
 *
 * @example
 * const chat = createChatClient({ endpoint: 'https://chat.example.com', button: 'sales' });
 * chat.availability$.subscribe((availability) => renderLauncher(availability));
 * chat.messages$.subscribe(renderMessages);
 * await chat.start({ name: 'Dana' });
 * await chat.send('Where is my order?');
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const name = `parley:${options.endpoint.replace(/\/$/, '')}#${options.button}`;
  const snapshot$ = new BehaviorSubject<ChatSnapshot>(INITIAL);
  const notices$ = new Subject<ChatNotice>();
  const leader$ = new BehaviorSubject(false);
  const scheduler = options.scheduler ?? asyncScheduler;
  const locks = 'locks' in options ? options.locks : (globalThis.navigator as (Navigator & { locks?: LocksLike }) | undefined)?.locks;
  const Channel = 'BroadcastChannel' in options ? options.BroadcastChannel : globalThis.BroadcastChannel;
  // Tabs coordinate only when both primitives exist; otherwise each stands alone.
  const coordinated = Boolean(locks && Channel);
  const channel = createTabChannel<TabMessage>(name, { BroadcastChannel: coordinated ? Channel : undefined });
  const leadership = electLeader(name, coordinated ? locks : undefined);
  const storePromise = options.store ? Promise.resolve(options.store) : openChatStore(name);
  /** Commands sent to the leader and not answered yet; if this tab becomes the leader, it runs them itself. */
  const replies = new Map<string, { name: CommandName; args: unknown[]; resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let engine: ChatEngine | undefined;
  let closed = false;
  const engineSubscriptions: Subscription[] = [];

  // Set the moment this tab wins the lock: from then on it answers the other tabs, queueing
  // their commands until its engine has opened the store.
  let leading: Promise<ChatEngine> | undefined;
  const channelSubscription = channel.messages$.subscribe((message) => {
    if (leading) void leading.then(() => lead(message));
    else follow(message);
  });
  channel.post({ kind: 'sync' });

  void leadership.acquired.then(() => {
    if (closed) return;
    leading = becomeLeader();
  });

  async function becomeLeader(): Promise<ChatEngine> {
    const store = await storePromise;
    engine = new ChatEngine({
      endpoint: options.endpoint,
      button: options.button,
      store,
      WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor),
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      scheduler,
      random: options.random ?? Math.random,
      wake$: options.wake$ ?? platformWake$(),
      newId: uuidv7,
      now: () => scheduler.now(),
      availabilityGraceMs: options.availabilityGraceMs ?? 30_000,
      ...(options.timing ? { timing: options.timing } : {}),
    });
    leader$.next(true);
    channel.post({ kind: 'leader' });
    for (const [id, pending] of replies) {
      replies.delete(id);
      run(pending.name, pending.args).then(pending.resolve, pending.reject);
    }
    engineSubscriptions.push(
      engine.snapshot$.subscribe((snapshot) => {
        snapshot$.next(snapshot);
        channel.post({ kind: 'snapshot', snapshot: toWire(snapshot) });
      }),
      engine.notices$.subscribe((notice) => {
        notices$.next(notice);
        channel.post({ kind: 'notice', notice });
      }),
    );
    if (!closed) await engine.start();
    return engine;
  }

  /** As leader: answer the other tabs. */
  async function lead(message: TabMessage): Promise<void> {
    if (message.kind === 'sync') channel.post({ kind: 'snapshot', snapshot: toWire(engine!.snapshot$.value) });
    if (message.kind !== 'command') return;
    try {
      const value = await run(message.name, message.args);
      channel.post({ kind: 'reply', id: message.id, ok: true, value });
    } catch (error) {
      const { code, message: text } = error instanceof ParleyError ? error : new ParleyError('internal', String(error));
      channel.post({ kind: 'reply', id: message.id, ok: false, error: { code, message: text } });
    }
  }

  /** As follower: mirror the leader. */
  function follow(message: TabMessage): void {
    if (message.kind === 'snapshot') snapshot$.next(fromWire(message.snapshot));
    // A command sent while no tab led (or to one that was just taking over) was heard by nobody.
    if (message.kind === 'leader') {
      channel.post({ kind: 'sync' });
      for (const [id, pending] of replies) channel.post({ kind: 'command', id, name: pending.name, args: pending.args });
    }
    if (message.kind === 'notice') notices$.next(message.notice);
    if (message.kind !== 'reply') return;
    const pending = replies.get(message.id);
    if (!pending) return;
    replies.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(new ParleyError(message.error.code, message.error.message));
  }

  function run(command: CommandName, args: unknown[]): Promise<unknown> {
    const leader = engine!;
    switch (command) {
      case 'start':
        return leader.startChat((args[0] as Record<string, string> | undefined) ?? {});
      case 'flush':
        return Promise.resolve(leader.flush());
      case 'retry':
        return Promise.resolve(leader.retry(args[0] as string));
      case 'typing':
        return Promise.resolve(leader.setTyping(args[0] as boolean));
      case 'end':
        return leader.end();
      case 'leave':
        return leader.leaveMessage(args[0] as { name: string; email: string; text: string });
    }
  }

  /** Runs a command here when leading, else asks the leader. */
  function command(name: CommandName, ...args: unknown[]): Promise<unknown> {
    if (leading) return leading.then(() => run(name, args));
    const id = uuidv7();
    return new Promise((resolve, reject) => {
      replies.set(id, { name, args, resolve, reject });
      scheduler.schedule(() => {
        if (replies.delete(id)) reject(new ParleyError('tab_timeout', 'No tab holds the chat right now; try again.'));
      }, COMMAND_TIMEOUT_MS);
      channel.post({ kind: 'command', id, name, args });
    });
  }

  const select = <T>(pick: (snapshot: ChatSnapshot) => T): Observable<T> =>
    snapshot$.pipe(map(pick), distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)));

  return {
    connection$: select((snapshot) => snapshot.connection),
    availability$: select((snapshot) => snapshot.availability),
    session$: select((snapshot) => snapshot.session),
    messages$: select((snapshot) => snapshot.messages),
    typing$: select((snapshot) => snapshot.typing),
    notices$: notices$.asObservable(),
    leader$: leader$.pipe(distinctUntilChanged()),
    start: (prechat = {}) => command('start', prechat) as Promise<string>,
    async send(text) {
      if (leading) return (await leading).send(text);
      // A follower writes the outbox itself (IndexedDB is shared), then asks the leader to send:
      // if the leader goes away first, the next one finds the message there.
      const store = await storePromise;
      const sessionId = await store.getMeta('sessionId');
      if (!sessionId) throw new ParleyError('no_session', 'Start a chat first.');
      const cmid = uuidv7();
      await store.enqueue({ cmid, sessionId, text, createdAt: scheduler.now() });
      await command('flush');
      return cmid;
    },
    retry: async (messageId) => void (await command('retry', messageId)),
    setTyping: (on) => void command('typing', on).catch(() => {}),
    end: async () => void (await command('end')),
    leaveMessage: async (message) => void (await command('leave', message)),
    transcript: () => transcriptText(snapshot$.value.messages),
    close() {
      closed = true;
      for (const subscription of engineSubscriptions.splice(0)) subscription.unsubscribe();
      engine?.stop();
      channelSubscription.unsubscribe();
      channel.close();
      leadership.release();
      void storePromise.then((store) => store.close());
    },
  };
}

function fromWire(snapshot: WireSnapshot): ChatSnapshot {
  const { connection } = snapshot;
  if (connection.status !== 'closed' || !connection.error) return snapshot as ChatSnapshot;
  return { ...snapshot, connection: { status: 'closed', error: new ParleyError(connection.error.code, connection.error.message) } };
}

function platformWake$(): Observable<unknown> {
  if (typeof window === 'undefined' || typeof document === 'undefined') return EMPTY;
  return merge(fromEvent(window, 'online'), fromEvent(document, 'visibilitychange').pipe(filter(() => document.visibilityState === 'visible')));
}
