import type { SequencedEvent } from '@parley/protocol';
import type { ChatStore, TranscriptRow } from '../storage/chat-store.js';
import { sequence, type SequencerState } from './sequencer.js';

interface SessionTranscript {
  rows: readonly TranscriptRow[];
  sequencer: SequencerState;
}

const EMPTY: SessionTranscript = { rows: [], sequencer: { lastSeq: 0, early: new Map() } };

/**
 * The transcripts a client holds, one per session, each with its `lastSeq`
 * cursor: events are applied strictly in seq order (early ones held, seen
 * ones dropped), and rows and cursor are stored in one transaction, so a
 * reload or a new leader tab resumes exactly where the store says. Row lists
 * are replaced, never mutated, so a view can compare them by reference.
 */
export class Transcripts {
  readonly #sessions = new Map<string, SessionTranscript>();

  constructor(private readonly store: ChatStore) {}

  /** Reads a session's stored rows and cursor (a reload, or a tab taking over). */
  async load(sessionId: string): Promise<void> {
    const [rows, lastSeq] = await Promise.all([this.store.transcript(sessionId), this.store.lastSeq(sessionId)]);
    this.#sessions.set(sessionId, { rows, sequencer: { lastSeq, early: new Map() } });
  }

  /** Reads every stored session. */
  async loadAll(): Promise<void> {
    for (const sessionId of await this.store.sessions()) await this.load(sessionId);
  }

  sessionIds(): string[] {
    return [...this.#sessions.keys()];
  }

  rows(sessionId: string): readonly TranscriptRow[] {
    return this.#sessions.get(sessionId)?.rows ?? EMPTY.rows;
  }

  lastSeq(sessionId: string): number {
    return this.#sessions.get(sessionId)?.sequencer.lastSeq ?? 0;
  }

  /** The last applied seq of every session: what `hello` asks the service to replay after. */
  cursors(): Record<string, number> {
    return Object.fromEntries([...this.#sessions].map(([sessionId, { sequencer }]) => [sessionId, sequencer.lastSeq]));
  }

  /** Applies an event if it is next, with any held ones it releases; resolves with the rows now applied. */
  async apply(event: SequencedEvent): Promise<TranscriptRow[]> {
    const current = this.#sessions.get(event.sessionId) ?? EMPTY;
    const result = sequence(current.sequencer, { sessionId: event.sessionId, seq: event.seq, at: event.at, event: event.event });
    if (result.ready.length === 0) {
      this.#sessions.set(event.sessionId, { ...current, sequencer: result.state });
      return [];
    }
    const added = result.ready.map((ready): TranscriptRow => ({ sessionId: ready.sessionId, seq: ready.seq, at: ready.at, event: ready.event }));
    // Rows and the cursor in one transaction: never a lastSeq without its rows.
    await this.store.append(event.sessionId, added, result.state.lastSeq);
    this.#sessions.set(event.sessionId, { rows: [...current.rows, ...added], sequencer: result.state });
    return added;
  }

  /** Replaces a session's transcript wholesale (an HTTP re-read when the service cannot replay). */
  async replace(sessionId: string, rows: TranscriptRow[], lastSeq: number): Promise<void> {
    await this.store.replace(sessionId, rows, lastSeq);
    this.#sessions.set(sessionId, { rows, sequencer: { lastSeq, early: new Map() } });
  }

  /** Drops a session here and in the store. */
  async forget(sessionId: string): Promise<void> {
    this.#sessions.delete(sessionId);
    await this.store.forget(sessionId);
  }
}
