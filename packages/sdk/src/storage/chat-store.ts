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
}

/**
 * Where the SDK keeps what must survive a reload: the transcript with its
 * `lastSeq` watermark, and the outbox. IndexedDB in browsers (shared by every
 * tab), memory elsewhere.
 */
export interface ChatStore {
  /** Appends rows and moves the session's `lastSeq`, atomically. */
  append(sessionId: string, rows: readonly TranscriptRow[], lastSeq: number): Promise<void>;
  /** Replaces the whole transcript (after an HTTP re-read, when the service could not replay). */
  replace(sessionId: string, rows: readonly TranscriptRow[], lastSeq: number): Promise<void>;
  transcript(sessionId: string): Promise<TranscriptRow[]>;
  lastSeq(sessionId: string): Promise<number>;
  enqueue(entry: OutboxEntry): Promise<void>;
  pending(sessionId: string): Promise<OutboxEntry[]>;
  acknowledge(cmid: string): Promise<void>;
  /** Small values that outlive a reload: browser id, session id, resume token, epoch. */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string | undefined): Promise<void>;
  close(): void;
}
