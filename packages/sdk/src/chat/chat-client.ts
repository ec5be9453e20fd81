import type { Observable } from 'rxjs';
import type { AvailabilityView } from '../availability/hold-availability.js';
import { engineEnvironment, type ClientOptions } from '../client/client-options.js';
import type { ConnectionState } from '../connection/connection.js';
import { ParleyError } from '../errors/parley-error.js';
import { sendFromAnyTab } from '../outbox/send-from-any-tab.js';
import type { SendOptions } from '../outbox/write-to-outbox.js';
import type { ChatStore } from '../storage/chat-store.js';
import { openChatStore } from '../storage/open-chat-store.js';
import { createTabClient } from '../tabs/tab-client.js';
import { CHAT_COMMANDS } from './chat-commands.js';
import { ChatEngine } from './chat-engine.js';
import type { OfflineMessage } from './chat-http.js';
import { INITIAL_CHAT_STATE, type ChatNotice } from './chat-state.js';
import type { ChatMessage, ConversationEvent, SessionView } from './chat-view.js';
import { transcriptText, type TranscriptOptions } from './transcript-text.js';

/** The customer client's tunables, in one place. */
export const CHAT_DEFAULTS = {
  /** M5: how long availability is held, stale, while the service is unreachable. */
  availabilityGraceMs: 30_000,
  /** How long a message the service could not take yet (read-only, draining) waits before it is tried again. */
  retryQueuedMs: 5_000,
};

export interface ChatClientOptions extends ClientOptions, Partial<typeof CHAT_DEFAULTS> {
  /** The chat button (queue) this client belongs to. */
  button: string;
  fetch?: typeof fetch;
  /** Default: IndexedDB when the platform has it, else memory. */
  store?: ChatStore;
  /** I1: a JWT your backend signed for the signed-in user (docs/embedding.md "Verified identity"). */
  userToken?: string;
}

/** I2: where and as whom a client uploads files and asks for links; agents name the session. */
export interface AttachmentAccess {
  endpoint: string;
  token: string;
  session?: string | undefined;
}

/** A customer's chat, shared by every tab of the site (C5). Observables replay their latest value. */
export interface ChatClient {
  readonly connection$: Observable<ConnectionState>;
  readonly availability$: Observable<AvailabilityView | undefined>;
  readonly session$: Observable<SessionView>;
  readonly messages$: Observable<ChatMessage[]>;
  /** Agent joined, agent changed and the end, with their `seq`, to place among the messages. */
  readonly events$: Observable<ConversationEvent[]>;
  /** Whether the agent is typing. */
  readonly typing$: Observable<boolean>;
  readonly notices$: Observable<ChatNotice>;
  /** Whether this tab holds the connection (the others mirror it). */
  readonly leader$: Observable<boolean>;
  start(prechat?: Record<string, string>): Promise<string>;
  /** Resolves with the cmid once the message is in the outbox. I2: `attachment` sends a file uploaded with `cmid` as its key. */
  send(text: string, options?: SendOptions): Promise<string>;
  /** I2: what uploads and file links of this chat need (`@parley/sdk/attachments` uses it). */
  attachmentAccess(): Promise<AttachmentAccess>;
  retry(messageId: string): Promise<void>;
  setTyping(on: boolean): void;
  end(): Promise<void>;
  /** I3: rates the ended chat, 1 to 5 with an optional comment; a later rating replaces it. Refused (`session_open`) before the end. */
  rate(score: number, comment?: string): Promise<void>;
  /** I4: the customer has seen the conversation so far: the agent's messages up to now show as read to the agent. Call it while the chat is visible. */
  markRead(): void;
  leaveMessage(message: OfflineMessage): Promise<void>;
  /**
   * I1: signs the customer in as the user a token from your backend names; their open chat follows.
   * Rejects with `ParleyError` `bad_identity` when the service refuses the token.
   */
  identify(userToken: string): Promise<void>;
  /** The conversation as a plain-text file, for download (C7): header, local times, events, final newline. */
  transcript(options?: TranscriptOptions): string;
  close(): void;
}

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
  const environment = engineEnvironment(options);
  const storePromise = options.store ? Promise.resolve(options.store) : openChatStore(name);
  const tabs = createTabClient({
    name,
    initial: INITIAL_CHAT_STATE.snapshot,
    environment,
    platform: options,
    commands: CHAT_COMMANDS,
    createEngine: async () =>
      new ChatEngine({
        ...environment,
        availabilityGraceMs: options.availabilityGraceMs ?? CHAT_DEFAULTS.availabilityGraceMs,
        retryQueuedMs: options.retryQueuedMs ?? CHAT_DEFAULTS.retryQueuedMs,
        button: options.button,
        store: await storePromise,
        fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
        userToken: options.userToken,
      }),
  });

  return {
    ...tabs.observables('connection', 'availability', 'session', 'messages', 'events', 'typing'),
    start: (prechat = {}) => tabs.command('start', prechat),
    async send(text, sendOptions) {
      const { sessionId } = await (await storePromise).readRecord();
      if (!sessionId) throw new ParleyError('no_session', 'Start a chat first.');
      return sendFromAnyTab(storePromise, { ...sendOptions, sessionId, text }, environment, () => tabs.command('flush'));
    },
    // Before a chat starts there is no token: the service then answers `unauthorized`.
    attachmentAccess: async () => ({ endpoint: options.endpoint, token: (await (await storePromise).readRecord()).resumeToken ?? '' }),
    retry: (messageId) => tabs.command('retry', messageId),
    setTyping: (on) => void tabs.command('typing', on).catch(() => {}),
    end: () => tabs.command('end'),
    rate: (score, comment) => tabs.command('rate', score, comment),
    markRead: () => void tabs.command('read').catch(() => {}),
    leaveMessage: (message) => tabs.command('leave', message),
    identify: (userToken) => tabs.command('identify', userToken),
    transcript: (transcriptOptions) => transcriptText(tabs.snapshot$.value.messages, tabs.snapshot$.value.events, transcriptOptions),
    close() {
      tabs.close();
      void storePromise.then((store) => store.close());
    },
  };
}
