import type { LeftMessage, MaintenanceWindow, OptOut, Rating, SequencedEvent, SessionEvent, SessionState, VerifiedIdentity } from '@parley/protocol';
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
  /** I1: the verified user the chat belongs to (the user token's `sub`); null for an anonymous chat. */
  userId?: string | null;
  /** I1: the verified claims agents see, as the user token carried them when the chat began. */
  identity?: VerifiedIdentity | null;
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

/** Q1: an agent passed on a Waiting session (missed or declined its offer). */
export interface PassRecord {
  sessionId: string;
  agentId: string;
  reason: 'missed' | 'declined';
  at: number;
  /** Until then the agent is not offered the session again (the cool-down); after it, only when nobody else can take it. */
  until: number;
}

/** N1: one agent socket, on the node that holds it. */
export interface ConnectionRecord {
  id: string;
  nodeId: string;
  agentId: string;
  browserId: string;
  openedAt: number;
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

/** I4: how far one reader of a session has received (`delivered`) and shown (`read`) the other side's events. */
export interface ReceiptMarks {
  delivered: number;
  read: number;
}

/** I2: a file attached in a session; its bytes are kept apart (on disk with SQLite, in the database with PostgreSQL). */
/** D5: a webhook subscription; `secret` signs its deliveries. */
export interface WebhookRecord {
  id: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: number;
}

/** D5: one event queued for one subscription, and how its attempts went. */
export interface WebhookDeliveryRecord {
  id: string;
  webhookId: string;
  event: string;
  /** The exact JSON posted (and signed) on every attempt. */
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: number;
  lastAttemptAt: number | null;
  /** The receiver's last HTTP status, null when it gave none (no connection, a timeout). */
  lastResponse: number | null;
  lastError: string | null;
}

export interface AttachmentRecord {
  id: string;
  sessionId: string;
  /** The uploader's idempotency key (the cmid of the message it goes with): one file per key and session. */
  uploadKey: string;
  /** `customer`, or the id of the agent who uploaded it. */
  uploadedBy: string;
  name: string;
  /** Sniffed from the content. */
  type: string;
  size: number;
  createdAt: number;
}

/** D7: whose data an export or an erasure is about: the browser that chatted, or the verified user (I1). */
export type CustomerKey = { browserId: string } | { userId: string };

/** D7: one logged erasure (who asked, when, how much went); the customer's ids are kept only as a hash. */
export interface ErasureRecord {
  id: number;
  at: number;
  actor: string;
  /** `browserId` or `userId`, and the SHA-256 (hex) of the id: the log shows an id was erased without keeping it. */
  subjectKind: 'browserId' | 'userId' | 'retention';
  subjectHash: string;
  counts: ErasureCounts;
}

/** D7: what one erasure (or retention purge) removed. */
export interface ErasureCounts {
  sessions: number;
  messages: number;
  attachments: number;
  ratings: number;
  offlineMessages: number;
  optOuts: number;
}

/**
 * Everything the service stores. Routing, lifecycle and presence code talk to
 * this interface only; SQLite (one process) and PostgreSQL (several nodes)
 * implement it, and one contract suite (`store-contract.ts`) holds both to
 * the same behaviour. Every method is async, though SQLite answers at once.
 *
 * Writes throw `StoreReadOnlyError` when the store cannot take writes (M6);
 * any call throws `StoreUnavailableError` when the store cannot be reached (N3).
 */
export interface Store {
  /** Which engine: `sqlite` (one process) or `postgres` (shared by several nodes). */
  readonly engine: 'sqlite' | 'postgres';

  /**
   * Runs `work` in one transaction: every call on this store from inside it,
   * however deep, joins it (a nested `transaction` too). It commits when
   * `work` resolves and rolls back when it throws. When the engine reports a
   * deadlock or a serialization failure, `work` runs again from the start, so
   * it must keep its effects in the store or in `afterCommit`.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `callback` once the current transaction commits (at once outside one); never if it rolls back. */
  afterCommit(callback: () => void): void;
  /** True inside `transaction` (the running code would join it). */
  inTransaction(): boolean;
  /** Runs `work` outside the caller's transaction (work that must not join it, such as a routing pass). */
  detached<T>(work: () => Promise<T>): Promise<T>;
  /** Reads a session and holds it until the transaction ends: changes to one session happen one at a time. */
  lockSession(id: string): Promise<SessionRecord | undefined>;
  /** Holds an agent (presence, connections, work) until the transaction ends. */
  lockAgent(agentId: string): Promise<void>;
  /**
   * Holds routing decisions (offers) for one office until the transaction ends: one routing pass per
   * office at a time, on every node. Take several in sorted order (nodes never wait on each other in a circle).
   */
  lockRouting(office: string): Promise<void>;
  /**
   * Claims one deadline due at `now` for the current transaction: no other
   * transaction gets it while this one is open, and the claim ends with it.
   */
  claimDeadline(now: number): Promise<StoredDeadline | undefined>;
  /** A write that changes nothing: succeeds only when the store takes writes again. */
  probe(): Promise<void>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key has one; resolves with the stored value (of nodes starting at once, one wins and all agree). */
  claimMeta(key: string, value: string): Promise<string>;

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
  /** I1: the newest session of a verified user that has not Ended, whatever browser it began on. */
  openSessionOfUser(userId: string): Promise<SessionRecord | undefined>;
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
  /** The capacity each agent uses (open and wrap-up work, never consults, P4), in one read; agents with none are left out. */
  workloads(): Promise<Record<string, number>>;

  putOffer(offer: OfferRecord): Promise<void>;
  getOffer(id: string): Promise<OfferRecord | undefined>;
  /** Deletes an offer; true only for the one caller that deleted it (compare-and-set: an offer is accepted, declined or expired once). */
  deleteOffer(id: string): Promise<boolean>;
  offersOfAgent(agentId: string): Promise<OfferRecord[]>;
  offersOfSession(sessionId: string): Promise<OfferRecord[]>;
  /** Offers out per agent, in one read; agents with none are left out. */
  offerCounts(): Promise<Record<string, number>>;

  /** Q1: records (or renews) an agent's pass on a session. */
  putPass(pass: PassRecord): Promise<void>;
  passesOfSession(sessionId: string): Promise<PassRecord[]>;
  /** Forgets passes: every pass on a session (it was taken or ended), or an agent's passes of one reason (they came back). */
  removePasses(match: { sessionId: string } | { agentId: string; reason: PassRecord['reason'] }): Promise<void>;

  /** N1: the node is alive at `at`; false when it had no row (first beat, or reaped meanwhile). */
  heartbeat(nodeId: string, at: number): Promise<boolean>;
  addConnection(connection: ConnectionRecord): Promise<void>;
  removeConnection(id: string): Promise<void>;
  /** The agent's sockets on nodes that beat at or after `aliveSince`. */
  connectionsOfAgent(agentId: string, aliveSince: number): Promise<ConnectionRecord[]>;
  /** Agents with a socket on a node that beat at or after `aliveSince`. */
  connectedAgents(aliveSince: number): Promise<string[]>;
  /**
   * Deletes the nodes (other than `except`) whose last beat is before `deadBefore`, with their
   * sockets, each by one caller only; resolves with the agents who had sockets there.
   */
  reapNodes(deadBefore: number, except: string): Promise<string[]>;

  getPresence(agentId: string): Promise<PresenceState | undefined>;
  /** Every agent's stored presence, in one read (a routing pass reads them all). */
  presences(): Promise<PresenceState[]>;
  /** Stores the presence and, when its status changed, closes the open history row and opens one. */
  putPresence(state: PresenceState, statusChanged: boolean): Promise<void>;
  presenceHistory(range: { from: number; to: number }): Promise<PresenceHistoryRow[]>;

  addOfflineMessage(message: OfflineMessage): Promise<void>;
  countOfflineMessages(): Promise<number>;
  /** When the oldest stored offline message was left, if any (the retention purge is set from it). */
  oldestOfflineMessageAt(): Promise<number | undefined>;
  /** Deletes offline messages left at or before `before`. */
  purgeOfflineMessages(before: number): Promise<void>;
  /** C2: left messages, newest first; `open` ones not yet handled; `before` pages by id. */
  listOfflineMessages(query: { status: 'open' | 'handled' | 'all'; limit: number; before?: number | undefined }): Promise<LeftMessage[]>;
  /** C2: marks a left message handled (by whom, when), or open again with `null`; undefined when there is no such message. */
  markOfflineMessage(id: number, handled: { at: number; by: string } | null): Promise<LeftMessage | undefined>;
  recordOptOut(browserId: string, sessionId: string, keyword: string, at: number): Promise<void>;
  /** S8: every browser that opted out, the latest first. */
  optOuts(): Promise<OptOut[]>;

  /**
   * I4: raises a reader's marks in a session, never lowers them (a lower or equal mark changes nothing); `read`
   * raises `delivered` too. Resolves with the marks now stored and whether they moved.
   */
  raiseReceipt(sessionId: string, reader: 'customer' | 'agent', marks: ReceiptMarks): Promise<ReceiptMarks & { changed: boolean }>;
  /** I4: both readers' marks in a session (zeros for a reader with none stored). */
  receiptsOf(sessionId: string): Promise<Record<'customer' | 'agent', ReceiptMarks>>;
  /** I3: stores the session's rating, replacing an earlier one; false (and nothing stored) when the same score and comment are stored already. */
  putRating(rating: Rating): Promise<boolean>;
  /** I3: ratings given in the range (inclusive), newest first, at most `limit`. */
  ratings(query: { from: number; to: number; limit: number }): Promise<Rating[]>;
  /**
   * I2: stores an attachment and its bytes unless the session already holds one under the same
   * `uploadKey`; resolves with the one stored (a retried upload gets the first, and nothing more is stored).
   */
  addAttachment(record: AttachmentRecord, bytes: Uint8Array): Promise<AttachmentRecord>;
  getAttachment(id: string): Promise<AttachmentRecord | undefined>;
  /** The bytes of a stored attachment. */
  readAttachment(id: string): Promise<Uint8Array | undefined>;
  /** When the oldest stored attachment was uploaded, if any (the retention purge is set from it). */
  oldestAttachmentAt(): Promise<number | undefined>;
  /** Deletes the attachments uploaded at or before `before`, bytes included; resolves with how many. */
  purgeAttachments(before: number): Promise<number>;

  /** D5: webhook subscriptions. */
  addWebhook(webhook: WebhookRecord): Promise<void>;
  webhooks(): Promise<WebhookRecord[]>;
  /** Deletes a subscription and its delivery log; false when there was none. */
  deleteWebhook(id: string): Promise<boolean>;
  addWebhookDelivery(delivery: WebhookDeliveryRecord): Promise<void>;
  getWebhookDelivery(id: string): Promise<WebhookDeliveryRecord | undefined>;
  /** Records an attempt's outcome (status, attempts, last response or error). */
  updateWebhookDelivery(id: string, change: Pick<WebhookDeliveryRecord, 'status' | 'attempts' | 'lastAttemptAt' | 'lastResponse' | 'lastError'>): Promise<void>;
  /** A subscription's deliveries, newest first, at most `limit`. */
  webhookDeliveries(webhookId: string, limit: number): Promise<WebhookDeliveryRecord[]>;
  /** D7: every session of a browser (any origin) or of a verified user, oldest first. */
  sessionsOfCustomer(customer: CustomerKey): Promise<SessionRecord[]>;
  /** D7: the attachments of a session, oldest first (records only; bytes through `readAttachment`). */
  attachmentsOfSession(sessionId: string): Promise<AttachmentRecord[]>;
  /** D7: the session's rating, if it was rated. */
  ratingOfSession(sessionId: string): Promise<Rating | undefined>;
  /** D7: the offline messages left under this email address (compared case-insensitively), newest first. */
  offlineMessagesOfEmail(email: string): Promise<LeftMessage[]>;
  /**
   * D7: erases what a session holds about its customer, in one transaction: message and rating events become
   * `{kind:'erased'}` (seqs kept), attachments go (rows and bytes), the rating and receipts go, and the session
   * row keeps no browser, user, identity or pre-chat answers. Resolves with how many messages, attachments, ratings went.
   */
  eraseSession(sessionId: string): Promise<Pick<ErasureCounts, 'messages' | 'attachments' | 'ratings'>>;
  /** D7 retention: deletes an ended session and everything stored under it (events, attachments, rating, receipts, deadlines). */
  deleteSession(sessionId: string): Promise<Pick<ErasureCounts, 'messages' | 'attachments' | 'ratings'>>;
  /** D7: the oldest ended sessions last changed at or before `before`, at most `limit`. */
  endedSessionsBefore(before: number, limit: number): Promise<string[]>;
  /** D7: when the least recently changed ended session changed, if any (the retention purge is set from it). */
  oldestEndedSessionAt(): Promise<number | undefined>;
  /** D7: deletes the offline messages left under this email address (case-insensitive); resolves with how many. */
  eraseOfflineMessagesOfEmail(email: string): Promise<number>;
  /** D7: forgets a browser's opt-out; true when there was one. */
  eraseOptOut(browserId: string): Promise<boolean>;
  /** D7: appends to the erasure log; resolves with the stored entry. */
  logErasure(entry: Omit<ErasureRecord, 'id'>): Promise<ErasureRecord>;
  /** D7: the erasure log, newest first, at most `limit`. */
  erasures(limit: number): Promise<ErasureRecord[]>;

  addWindow(window: MaintenanceWindow, createdAt: number): Promise<void>;
  deleteWindow(id: string): Promise<boolean>;
  windows(): Promise<MaintenanceWindow[]>;

  close(): void;
}

export class StoreReadOnlyError extends Error {
  override readonly name: string = 'StoreReadOnlyError';
}

/** The store cannot be reached (a restart, a network cut); for clients it is read-only until it is back. */
export class StoreUnavailableError extends StoreReadOnlyError {
  override readonly name = 'StoreUnavailableError';
}
