import { v7 as uuidv7 } from 'uuid';
import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { platformWake$ } from '../platform/platform.js';
import type { AvailabilityView } from '../availability/hold-availability.js';
import type { ConnectionState } from '../connection/connection.js';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';
import { ParleyError } from '../errors/parley-error.js';
import type { ChatStore } from '../storage/chat-store.js';
import { openChatStore } from '../storage/open-chat-store.js';
import type { LocksLike } from '../tabs/leadership.js';
import { coordinateTabs } from '../tabs/tab-coordinator.js';
import { selectFrom, tabPlatform } from '../tabs/tab-platform.js';
import { fromWire, toWire } from '../tabs/wire-errors.js';
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
  const scheduler = options.scheduler ?? asyncScheduler;
  const storePromise = options.store ? Promise.resolve(options.store) : openChatStore(name);
  const tabs = coordinateTabs<ChatEngine, ChatSnapshot, ChatNotice, ChatSnapshot>({
    name,
    initial: INITIAL,
    ...tabPlatform(options),
    scheduler,
    newId: uuidv7,
    toWire,
    fromWire,
    createEngine: async () =>
      new ChatEngine({
        endpoint: options.endpoint,
        button: options.button,
        store: await storePromise,
        WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor),
        fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
        scheduler,
        random: options.random ?? Math.random,
        wake$: options.wake$ ?? platformWake$(),
        newId: uuidv7,
        now: () => scheduler.now(),
        availabilityGraceMs: options.availabilityGraceMs ?? 30_000,
        ...(options.timing ? { timing: options.timing } : {}),
      }),
    run: (engine, command, args) => {
      switch (command) {
        case 'start':
          return engine.startChat((args[0] as Record<string, string> | undefined) ?? {});
        case 'flush':
          return Promise.resolve(engine.flush());
        case 'retry':
          return Promise.resolve(engine.retry(args[0] as string));
        case 'typing':
          return Promise.resolve(engine.setTyping(args[0] as boolean));
        case 'end':
          return engine.end();
        case 'leave':
          return engine.leaveMessage(args[0] as { name: string; email: string; text: string });
        default:
          return Promise.reject(new ParleyError('bad_command', `No command ${command}.`));
      }
    },
  });

  const select = selectFrom(tabs.snapshot$);

  return {
    connection$: select((snapshot) => snapshot.connection),
    availability$: select((snapshot) => snapshot.availability),
    session$: select((snapshot) => snapshot.session),
    messages$: select((snapshot) => snapshot.messages),
    typing$: select((snapshot) => snapshot.typing),
    notices$: tabs.notices$,
    leader$: tabs.leader$,
    start: (prechat = {}) => tabs.command('start', prechat) as Promise<string>,
    async send(text) {
      if (tabs.leading) return (await tabs.leading).send(text);
      // A follower writes the outbox itself (IndexedDB is shared), then asks the leader to send:
      // if the leader goes away first, the next one finds the message there.
      const store = await storePromise;
      const sessionId = await store.getMeta('sessionId');
      if (!sessionId) throw new ParleyError('no_session', 'Start a chat first.');
      const cmid = uuidv7();
      await store.enqueue({ cmid, sessionId, text, createdAt: scheduler.now() });
      await tabs.command('flush');
      return cmid;
    },
    retry: async (messageId) => void (await tabs.command('retry', messageId)),
    setTyping: (on) => void tabs.command('typing', on).catch(() => {}),
    end: async () => void (await tabs.command('end')),
    leaveMessage: async (message) => void (await tabs.command('leave', message)),
    transcript: () => transcriptText(tabs.snapshot$.value.messages),
    close() {
      tabs.close();
      void storePromise.then((store) => store.close());
    },
  };
}
