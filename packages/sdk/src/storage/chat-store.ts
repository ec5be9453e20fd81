import type { AttachmentRef } from '@parley/protocol';

/** One transcript row: a service event the client has applied, in `seq` order. */
export interface TranscriptRow {
  sessionId: string;
  seq: number;
  /** Service time, ms since the epoch. */
  at: number;
  /** The event as the service sent it. */
  event: unknown;
}

/** A message written by this browser and not yet acknowledged by the service. */
export interface OutboxEntry {
  /** Client message id (UUIDv7): the service stores it uniquely, so re-sending is safe. */
  cmid: string;
  sessionId: string;
  text: string;
  createdAt: number;
  /** I2: the file the message carries, uploaded under this entry's cmid before it was written. */
  attachment?: AttachmentRef | undefined;
}

/** What a client keeps about itself between page loads, as one typed record. */
export interface ClientRecord {
  /** Stable per browser and role, sent in `hello`. */
  browserId?: string | undefined;
  /** Customer: the id of a `start` not yet answered, sent again until a chat is adopted. */
  startId?: string | undefined;
  /** Customer: the open session, and the signed token that resumes it. */
  sessionId?: string | undefined;
  resumeToken?: string | undefined;
  /** Customer: the pre-chat name, which the service stores the customer's messages under. */
  customerName?: string | undefined;
  /** The service's data generation last seen: another one means re-read, not resume. */
  epoch?: string | undefined;
}

/**
 * Where the SDK keeps what must survive a reload: transcripts with their
 * `lastSeq` watermarks (one per session), the outbox, and the client's
 * record. IndexedDB in browsers (shared by every tab), memory elsewhere.
 */
export interface ChatStore {
  /** Appends rows and moves the session's `lastSeq`, atomically. */
  append(sessionId: string, rows: readonly TranscriptRow[], lastSeq: number): Promise<void>;
  /** Replaces the whole transcript (after an HTTP re-read, when the service could not replay). */
  replace(sessionId: string, rows: readonly TranscriptRow[], lastSeq: number): Promise<void>;
  transcript(sessionId: string): Promise<TranscriptRow[]>;
  lastSeq(sessionId: string): Promise<number>;
  /** Sessions with a stored watermark. */
  sessions(): Promise<string[]>;
  /** Drops a session's transcript and watermark (its outbox entries stay). */
  forget(sessionId: string): Promise<void>;
  enqueue(entry: OutboxEntry): Promise<void>;
  /** Unacknowledged entries in the order written: of one session, or of all. */
  pending(sessionId?: string): Promise<OutboxEntry[]>;
  acknowledge(cmid: string): Promise<void>;
  readRecord(): Promise<ClientRecord>;
  writeRecord(record: ClientRecord): Promise<void>;
  close(): void;
}

/** Outbox order: as written (UUIDv7 ids break ties, being time-ordered too). */
export function byCreation(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt - b.createdAt || (a.cmid < b.cmid ? -1 : 1);
}
