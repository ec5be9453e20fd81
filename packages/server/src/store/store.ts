import type { MaintenanceWindow, SequencedEvent, SessionEvent, SessionState } from '@parley/protocol';
import type { PresenceState } from '../presence/presence-rules.js';

export type SessionOrigin = 'customer' | 'agent' | 'notification';

export interface SessionRecord {
  id: string;
  button: string;
  office: string;
  browserId: string;
  state: SessionState;
  origin: SessionOrigin;
  prechat: Record<string, string>;
  agentId: string | null;
  previousAgentId: string | null;
  lastSeq: number;
  awaitingReply: boolean;
  awaitingFirstReply: boolean;
  createdAt: number;
  updatedAt: number;
  /** The client's id for the `start` that created it: a repeated start gets this session back. */
  startId?: string | null;
}

export interface WorkRecord {
  sessionId: string;
  agentId: string;
  /** `wrap-up` holds capacity after the session ended, until closed (P5); `consult` never does (P4). */
  phase: 'open' | 'wrap-up' | 'consult';
  since: number;
}

export interface OfferRecord {
  id: string;
  sessionId: string;
  agentId: string;
  createdAt: number;
  expiresAt: number;
}

export interface StoredDeadline {
  subject: string;
  kind: string;
  dueAt: number;
}

export interface PresenceHistoryRow {
  agentId: string;
  status: string;
  custom: string | null;
  source: string;
  cause: string;
  actor: string;
  startedAt: number;
  endedAt: number | null;
}

export interface OfflineMessage {
  button: string;
  name: string;
  email: string;
  text: string;
  at: number;
}

/**
 * Everything the service stores. Routing, lifecycle and presence code talk to
 * this interface only, so another adapter (several nodes on a shared store)
 * can replace SQLite without touching them. Every method is async for that
 * reason, though SQLite answers at once.
 *
 * Writes throw `StoreReadOnlyError` when the store cannot take writes (M6).
 */
export interface Store {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /**
   * Stores a new session and resolves with it. A session with a `startId` its
   * browser already used stores nothing and resolves with the session stored
   * under that id: this is what makes a repeated `start` create one chat.
   */
  createSession(session: SessionRecord): Promise<SessionRecord>;
  /** The session a browser's `start` with this id created, if any. */
  sessionOfStart(browserId: string, startId: string): Promise<SessionRecord | undefined>;
  /** The newest session the browser started itself (origin `customer`) that has not Ended. */
  openSessionOfBrowser(browserId: string): Promise<SessionRecord | undefined>;
  /** How many sessions of the button are Waiting (the per-button queue cap). */
  countWaiting(button: string): Promise<number>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  updateSession(id: string, patch: Partial<Omit<SessionRecord, 'id' | 'lastSeq'>>): Promise<void>;
  sessionsInState(state: SessionState): Promise<SessionRecord[]>;
  latestSessionOfBrowser(browserId: string): Promise<SessionRecord | undefined>;
  countSessionsByState(): Promise<Record<string, number>>;

  /**
   * Appends an event with the session's next seq. With a `cmid` already
   * stored for the session it appends nothing and returns the first seq
   * (`duplicate: true`): this is what makes delivery exactly-once.
   */
  appendEvent(sessionId: string, event: SessionEvent, at: number, cmid?: string): Promise<{ seq: number; duplicate: boolean }>;
  eventsAfter(sessionId: string, seq: number): Promise<SequencedEvent[]>;
  /** The seq a message with this cmid was stored under, if it was. */
  seqOfCmid(sessionId: string, cmid: string): Promise<number | undefined>;
  countMessages(): Promise<number>;

  setDeadline(deadline: StoredDeadline): Promise<void>;
  /** Clears a deadline; with `dueAt`, only if it is still set for that time. */
  clearDeadline(subject: string, kind: string, dueAt?: number): Promise<void>;
  dueDeadlines(now: number): Promise<StoredDeadline[]>;
  nextDeadline(): Promise<StoredDeadline | undefined>;

  putWork(work: WorkRecord): Promise<void>;
  removeWork(sessionId: string, agentId: string): Promise<void>;
  workOfAgent(agentId: string): Promise<WorkRecord[]>;
  workOfSession(sessionId: string): Promise<WorkRecord[]>;
  allWork(): Promise<WorkRecord[]>;

  putOffer(offer: OfferRecord): Promise<void>;
  getOffer(id: string): Promise<OfferRecord | undefined>;
  deleteOffer(id: string): Promise<void>;
  offersOfAgent(agentId: string): Promise<OfferRecord[]>;
  offersOfSession(sessionId: string): Promise<OfferRecord[]>;

  getPresence(agentId: string): Promise<PresenceState | undefined>;
  /** Stores the presence and, when its status changed, closes the open history row and opens one. */
  putPresence(state: PresenceState, statusChanged: boolean): Promise<void>;
  presenceHistory(range: { from: number; to: number }): Promise<PresenceHistoryRow[]>;

  addOfflineMessage(message: OfflineMessage): Promise<void>;
  countOfflineMessages(): Promise<number>;
  /** When the oldest stored offline message was left, if any (the retention purge is set from it). */
  oldestOfflineMessageAt(): Promise<number | undefined>;
  /** Deletes offline messages left at or before `before`. */
  purgeOfflineMessages(before: number): Promise<void>;
  recordOptOut(browserId: string, sessionId: string, keyword: string, at: number): Promise<void>;

  addWindow(window: MaintenanceWindow, createdAt: number): Promise<void>;
  deleteWindow(id: string): Promise<boolean>;
  windows(): Promise<MaintenanceWindow[]>;

  close(): void;
}

export class StoreReadOnlyError extends Error {
  override readonly name = 'StoreReadOnlyError';
}
