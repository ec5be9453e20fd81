import { v7 as uuidv7 } from 'uuid';
import { asyncScheduler, EMPTY, fromEvent, merge, throttleTime, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { platformWake$ } from '../platform/platform.js';
import type { ConnectionState } from '../connection/connection.js';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';
import { ParleyError } from '../errors/parley-error.js';
import type { Offer, WorkItem } from '@parley/protocol';
import type { LocksLike } from '../tabs/leadership.js';
import { coordinateTabs } from '../tabs/tab-coordinator.js';
import { selectFrom, tabPlatform } from '../tabs/tab-platform.js';
import { fromWire, toWire } from '../tabs/wire-errors.js';
import { AgentEngine, type AgentMessage, type AgentNotice, type AgentSnapshot } from './agent-engine.js';
import { INITIAL_PRESENCE, type AgentPresence } from './presence-view.js';

export interface AgentClientOptions {
  endpoint: string;
  /** The signed agent token (from your sign-in; the service's admin API issues them). */
  token: string;
  WebSocket?: WebSocketConstructor;
  locks?: LocksLike | undefined;
  BroadcastChannel?: typeof BroadcastChannel | undefined;
  scheduler?: SchedulerLike;
  random?: () => number;
  wake$?: Observable<unknown>;
  /** A3: the agent's input in this page. Default: pointer, keys and wheel; `EMPTY` to report none. */
  activity$?: Observable<unknown>;
  /** P7: the service's disconnect grace, to show Offline when it has passed. Default 120 s. */
  disconnectGraceMs?: number;
  timing?: Partial<ReconnectTiming>;
}

/** An agent's console state, shared by every tab of the agent's browser (A6). Observables replay their latest value. */
export interface AgentClient {
  readonly agentId: string;
  readonly connection$: Observable<ConnectionState>;
  readonly presence$: Observable<AgentPresence>;
  readonly offers$: Observable<Offer[]>;
  readonly work$: Observable<WorkItem[]>;
  readonly conversations$: Observable<Record<string, AgentMessage[]>>;
  readonly typing$: Observable<Record<string, boolean>>;
  /** A6: true once the agent logged out here, in another tab, or in another browser. */
  readonly loggedOut$: Observable<boolean>;
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
  reply(sessionId: string, text: string): Promise<number>;
  setTyping(sessionId: string, on: boolean): void;
  end(sessionId: string): Promise<void>;
  /** P5: releases ended work that still holds capacity. */
  closeWork(sessionId: string): Promise<void>;
  /** P4: joins a session as consultant. */
  consult(sessionId: string): Promise<void>;
  close(): void;
}

const ACTIVITY_SAMPLE_MS = 5_000;
const INITIAL: AgentSnapshot = { connection: { status: 'connecting' }, presence: INITIAL_PRESENCE, offers: [], work: [], conversations: {}, typing: {}, loggedOut: false };

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
  const scheduler = options.scheduler ?? asyncScheduler;
  const tabs = coordinateTabs<AgentEngine, AgentSnapshot, AgentNotice, AgentSnapshot>({
    name: `parley-agent:${options.endpoint.replace(/\/$/, '')}#${agentId}`,
    initial: INITIAL,
    ...tabPlatform(options),
    scheduler,
    newId: uuidv7,
    toWire,
    fromWire,
    createEngine: async () =>
      new AgentEngine({
        endpoint: options.endpoint,
        token: options.token,
        agentId,
        browserId: uuidv7(),
        WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor),
        scheduler,
        random: options.random ?? Math.random,
        wake$: options.wake$ ?? platformWake$(),
        newId: uuidv7,
        now: () => scheduler.now(),
        disconnectGraceMs: options.disconnectGraceMs ?? 120_000,
        activityEveryMs: 30_000,
        ...(options.timing ? { timing: options.timing } : {}),
      }),
    run: (engine, command, args) => {
      const [first, second] = args as [string, string];
      switch (command) {
        case 'status':
          return engine.setStatus(first, second);
        case 'reset':
          return engine.resetPresence();
        case 'logout':
          return engine.logout();
        case 'accept':
          return engine.accept(first);
        case 'decline':
          return engine.decline(first);
        case 'reply':
          return engine.reply(first, second);
        case 'typing':
          return Promise.resolve(engine.setTyping(first, args[1] as boolean));
        case 'end':
          return engine.end(first);
        case 'close-work':
          return engine.closeWork(first);
        case 'consult':
          return engine.consult(first);
        case 'activity':
          return Promise.resolve(engine.recordActivity(args[0] as number));
        default:
          return Promise.reject(new ParleyError('bad_command', `No command ${command}.`));
      }
    },
  });

  // A3: input in this tab feeds the one latest-activity time the leader reports.
  const activity: Subscription = (options.activity$ ?? platformActivity$())
    .pipe(throttleTime(ACTIVITY_SAMPLE_MS, scheduler))
    .subscribe(() => void tabs.command('activity', scheduler.now()).catch(() => {}));

  const select = selectFrom(tabs.snapshot$);
  const call = (name: string, ...args: unknown[]) => tabs.command(name, ...args);

  return {
    agentId,
    connection$: select((snapshot) => snapshot.connection),
    presence$: select((snapshot) => snapshot.presence),
    offers$: select((snapshot) => snapshot.offers),
    work$: select((snapshot) => snapshot.work),
    conversations$: select((snapshot) => snapshot.conversations),
    typing$: select((snapshot) => snapshot.typing),
    loggedOut$: select((snapshot) => snapshot.loggedOut),
    notices$: tabs.notices$,
    leader$: tabs.leader$,
    setStatus: async (status) => void (await call('status', status)),
    setOfficeStatus: async (office, status) => void (await call('status', status, office)),
    resetPresence: async () => void (await call('reset')),
    logout: async () => void (await call('logout')),
    accept: (offerId) => call('accept', offerId) as Promise<string>,
    decline: async (offerId) => void (await call('decline', offerId)),
    reply: (sessionId, text) => call('reply', sessionId, text) as Promise<number>,
    setTyping: (sessionId, on) => void call('typing', sessionId, on).catch(() => {}),
    end: async (sessionId) => void (await call('end', sessionId)),
    closeWork: async (sessionId) => void (await call('close-work', sessionId)),
    consult: async (sessionId) => void (await call('consult', sessionId)),
    close() {
      activity.unsubscribe();
      tabs.close();
    },
  };
}

/** The agent id a token names (read for display and naming; the service verifies the token). */
function tokenSubject(token: string): string {
  try {
    const body = token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/');
    const { sub } = JSON.parse(atob(body)) as { sub?: unknown };
    if (typeof sub === 'string') return sub;
  } catch {
    // fall through
  }
  throw new ParleyError('bad_token', 'This is not a Parley agent token.');
}

function platformActivity$(): Observable<unknown> {
  if (typeof window === 'undefined') return EMPTY;
  return merge(fromEvent(window, 'pointerdown'), fromEvent(window, 'keydown'), fromEvent(window, 'wheel', { passive: true }));
}
