import { EMPTY, merge, throttleTime, type Observable } from 'rxjs';
import type { MaintenanceWindow, Offer, WaitingEntry, WorkItem } from '@parley/protocol';
import { engineEnvironment, type ClientOptions } from '../client/client-options.js';
import type { ConnectionState } from '../connection/connection.js';
import { ParleyError } from '../errors/parley-error.js';
import { domEvent } from '../platform/platform.js';
import { sendFromAnyTab } from '../outbox/send-from-any-tab.js';
import type { ReceiptMarks } from '../chat/chat-view.js';
import type { SendOptions } from '../outbox/write-to-outbox.js';
import type { AttachmentAccess } from '../chat/chat-client.js';
import type { ChatStore } from '../storage/chat-store.js';
import { openChatStore } from '../storage/open-chat-store.js';
import { createTabClient } from '../tabs/tab-client.js';
import { AGENT_COMMANDS } from './agent-commands.js';
import { AgentEngine } from './agent-engine.js';
import { INITIAL_AGENT_SNAPSHOT, type AgentMessage, type AgentNotice } from './agent-state.js';
import type { AgentPresence } from './presence-view.js';

/** The agent client's tunables, in one place. */
export const AGENT_DEFAULTS = {
  /** P7: the service's disconnect grace, to show Offline once it has passed. */
  disconnectGraceMs: 120_000,
  /** A3: at most one activity report per this long. */
  activityEveryMs: 30_000,
  /** A3: this page's input is sampled at most once per this long. */
  activitySampleMs: 5_000,
  /** How long a reply the service could not take yet (draining, read-only) waits before it is tried again. */
  retryQueuedMs: 5_000,
};

export interface AgentClientOptions extends ClientOptions, Partial<typeof AGENT_DEFAULTS> {
  /** The signed agent token (from your sign-in; the service's admin API issues them). */
  token: string;
  /** A3: the agent's input in this page. Default: pointer, keys and wheel; `EMPTY` to report none. */
  activity$?: Observable<unknown>;
  /** Default: IndexedDB when the platform has it, else memory. */
  store?: ChatStore;
  /**
   * Replies sent per second and at once. Default: the protocol's OUTBOX_PACE, within the service's
   * default frame limit; raise it with the service's `limits.framesPerSecond` (a bot, a busy desk).
   */
  outboxPace?: { perSecond: number; burst: number };
}

/** An agent's console state, shared by every tab of the agent's browser (A6). Observables replay their latest value. */
export interface AgentClient {
  readonly agentId: string;
  readonly connection$: Observable<ConnectionState>;
  readonly presence$: Observable<AgentPresence>;
  readonly offers$: Observable<readonly Offer[]>;
  readonly work$: Observable<WorkItem[]>;
  /** Per session: the stored lines in seq order, then the agent's replies on their way (`queued`, `sending`, `failed`). */
  readonly conversations$: Observable<Record<string, AgentMessage[]>>;
  readonly typing$: Observable<Record<string, boolean>>;
  /** I4: per session, how far the customer has received (`delivered`) and read (`read`) it, as seqs; the agent's lines in `conversations$` tick from these. */
  readonly receipts$: Observable<Record<string, ReceiptMarks>>;
  /** A6: true once the agent logged out here, in another tab, or in another browser. */
  readonly loggedOut$: Observable<boolean>;
  /** Q1: the queue of the agent's offices, oldest first per button, with which chats are being offered. */
  readonly waiting$: Observable<WaitingEntry[]>;
  /** M1: planned maintenance windows, from when they are scheduled until they end or are cancelled. */
  readonly windows$: Observable<MaintenanceWindow[]>;
  readonly notices$: Observable<AgentNotice>;
  readonly leader$: Observable<boolean>;
  /** `available`, `away`, `offline` or a custom status id, for every office (A2, A4, P8). */
  setStatus(status: string): Promise<void>;
  /** Available or Away for one office (A4). */
  setOfficeStatus(office: string, status: 'available' | 'away'): Promise<void>;
  /** P10: back to the status computed from capacity. */
  resetPresence(): Promise<void>;
  logout(): Promise<void>;
  accept(offerId: string): Promise<string>;
  decline(offerId: string): Promise<void>;
  /**
   * Stores the reply in the outbox (IndexedDB, shared by the tabs) and sends it: exactly once, across
   * reconnects, drains, reloads and a leader tab closing. Resolves with its id (cmid) once stored; its
   * line in `conversations$` goes sending → sent, or failed (e.g. `session_ended`) with the text kept.
   */
  reply(sessionId: string, text: string, options?: SendOptions): Promise<string>;
  /** I2: what uploads and file links of one session need (`@parley/sdk/attachments` uses it). */
  attachmentAccess(sessionId: string): Promise<AttachmentAccess>;
  /** Sends again a reply that failed. */
  retry(cmid: string): Promise<void>;
  setTyping(sessionId: string, on: boolean): void;
  /** I4: the agent has seen the session so far: the customer's messages up to now show as read to the customer. Call it while the chat is on screen. */
  markRead(sessionId: string): void;
  end(sessionId: string): Promise<void>;
  /** P5: releases ended work that still holds capacity. */
  closeWork(sessionId: string): Promise<void>;
  /** P4: joins a session as consultant. */
  consult(sessionId: string): Promise<void>;
  close(): void;
}

/**
 * Creates the agent client: one connection per browser, whatever the number
 * of console tabs (the same tab coordination as the customer client), with
 * presence pushed by the service to every tab and browser of the agent.
 *
 * @example
 * const agent = createAgentClient({ endpoint: 'https://chat.example.com', token });
 * agent.presence$.subscribe(({ view, reconnecting }) => badge.show(view?.status, reconnecting));
 * agent.offers$.subscribe((offers) => offers.forEach(showOffer));
 * await agent.setStatus('available');
 */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const agentId = tokenSubject(options.token);
  const environment = engineEnvironment(options);
  const settings = { ...AGENT_DEFAULTS, ...options };
  const name = `parley-agent:${options.endpoint.replace(/\/$/, '')}#${agentId}`;
  const storePromise = options.store ? Promise.resolve(options.store) : openChatStore(name);
  const tabs = createTabClient({
    name,
    initial: INITIAL_AGENT_SNAPSHOT,
    environment,
    platform: options,
    commands: AGENT_COMMANDS,
    createEngine: async () =>
      new AgentEngine({
        ...environment,
        token: options.token,
        agentId,
        store: await storePromise,
        disconnectGraceMs: settings.disconnectGraceMs,
        activityEveryMs: settings.activityEveryMs,
        retryQueuedMs: settings.retryQueuedMs,
        pace: options.outboxPace,
      }),
  });

  // A3: input in this tab feeds the one latest-activity time the leader reports.
  const activity = (options.activity$ ?? platformActivity$())
    .pipe(throttleTime(settings.activitySampleMs, environment.scheduler))
    .subscribe(() => void tabs.command('activity', environment.now()).catch(() => {}));

  return {
    agentId,
    ...tabs.observables('connection', 'presence', 'offers', 'work', 'conversations', 'typing', 'receipts', 'loggedOut', 'waiting', 'windows'),
    setStatus: (status) => tabs.command('status', status),
    setOfficeStatus: (office, status) => tabs.command('status', status, office),
    resetPresence: () => tabs.command('reset'),
    logout: () => tabs.command('logout'),
    accept: (offerId) => tabs.command('accept', offerId),
    decline: (offerId) => tabs.command('decline', offerId),
    reply: (sessionId, text, sendOptions) => sendFromAnyTab(storePromise, { ...sendOptions, sessionId, text }, environment, () => tabs.command('flush')),
    attachmentAccess: async (sessionId) => ({ endpoint: options.endpoint, token: options.token, session: sessionId }),
    retry: (cmid) => tabs.command('retry', cmid),
    setTyping: (sessionId, on) => void tabs.command('typing', sessionId, on).catch(() => {}),
    markRead: (sessionId) => void tabs.command('read', sessionId).catch(() => {}),
    end: (sessionId) => tabs.command('end', sessionId),
    closeWork: (sessionId) => tabs.command('closeWork', sessionId),
    consult: (sessionId) => tabs.command('consult', sessionId),
    close() {
      activity.unsubscribe();
      tabs.close();
      void storePromise.then((store) => store.close());
    },
  };
}

/** The agent id a token names (read for display and naming; the service verifies the token). */
function tokenSubject(token: string): string {
  try {
    const body = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const { sub } = JSON.parse(atob(body)) as { sub?: unknown };
    if (typeof sub === 'string') return sub;
  } catch {
    // fall through
  }
  throw new ParleyError('bad_token', 'This is not a Parley agent token.');
}

function platformActivity$(): Observable<unknown> {
  if (typeof window === 'undefined') return EMPTY;
  return merge(domEvent(window, 'pointerdown'), domEvent(window, 'keydown'), domEvent(window, 'wheel', { passive: true }));
}
