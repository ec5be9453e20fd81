import type { SequencedEvent } from '@parley/protocol';

export type ReadEvents = (sessionId: string, afterSeq: number) => Promise<SequencedEvent[]>;

/** How soon a feed reads the store again after a read failed (real time: delivery, not business time). */
export const FEED_RETRY_MS = 1000;

/**
 * One socket's view of one session's transcript: sends each event once, in
 * seq order, with no gap. Live events are only hints: one that is next in
 * order is sent at once; one already sent is dropped; one past a gap (another
 * node's event overtook it, or a bus message was lost) makes the feed read
 * what it missed from the store, which holds every event up to any seq that
 * was published. Live events that arrive while the store is read are held and
 * offered again after it. A read that fails (the store restarting, no pooled
 * connection in time) is tried again a moment later by the feed itself: the
 * events it was to send may be the last of the conversation, with no live
 * event coming after them to ask again.
 */
export class SessionFeed {
  #sentUpTo: number;
  #reading: Promise<void> | undefined;
  readonly #held: SequencedEvent[] = [];
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly sessionId: string,
    afterSeq: number,
    private readonly read: ReadEvents,
    private readonly send: (event: SequencedEvent) => void,
    private readonly failed: (error: unknown) => void,
  ) {
    this.#sentUpTo = afterSeq;
  }

  get sentUpTo(): number {
    return this.#sentUpTo;
  }

  /** A live event from the bus. */
  offer(event: SequencedEvent): void {
    if (this.#reading) {
      if (event.seq > this.#sentUpTo) this.#held.push(event);
      return;
    }
    if (event.seq <= this.#sentUpTo) return;
    if (event.seq === this.#sentUpTo + 1 && this.#held.length === 0) {
      this.#sentUpTo = event.seq;
      this.send(event);
      return;
    }
    this.#held.push(event);
    void this.fill();
  }

  /** Reads from the store everything after what was sent, and sends it; then what was held. */
  fill(): Promise<void> {
    const before = this.#sentUpTo;
    this.#reading ??= this.#read().then((ok) => {
      this.#reading = undefined;
      const held = this.#held.splice(0).sort((a, b) => a.seq - b.seq);
      for (const event of held) {
        if (event.seq === this.#sentUpTo + 1) {
          this.#sentUpTo = event.seq;
          this.send(event);
        } else if (event.seq > this.#sentUpTo) this.#held.push(event);
      }
      // Events that committed while the store was read may still be missing: read again.
      if (ok && this.#held.length > 0 && this.#sentUpTo > before) return this.fill();
      // A failed read, or held events the read did not reach: read again in a moment.
      if (!ok || this.#held.length > 0) this.#retryLater();
    });
    return this.#reading;
  }

  /** The socket is gone: no more reads. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  #retryLater(): void {
    if (this.#retry || this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#closed) void this.fill();
    }, FEED_RETRY_MS);
    this.#retry.unref();
  }

  async #read(): Promise<boolean> {
    try {
      for (const event of await this.read(this.sessionId, this.#sentUpTo)) {
        if (event.seq !== this.#sentUpTo + 1) continue;
        this.#sentUpTo = event.seq;
        this.send(event);
      }
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }
}
