import type { SequencedEvent } from '@parley/protocol';

export type ReadEvents = (sessionId: string, afterSeq: number) => Promise<SequencedEvent[]>;

/**
 * One socket's view of one session's transcript: sends each event once, in
 * seq order, with no gap. Live events are only hints: one that is next in
 * order is sent at once; one already sent is dropped; one past a gap (another
 * node's event overtook it, or a bus message was lost) makes the feed read
 * what it missed from the store, which holds every event up to any seq that
 * was published. Live events that arrive while the store is read are held and
 * offered again after it.
 */
export class SessionFeed {
  #sentUpTo: number;
  #reading: Promise<void> | undefined;
  readonly #held: SequencedEvent[] = [];

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
      // Events that committed while the store was read may still be missing: read again. After a
      // failed read, the next live event (or a resync) tries again instead.
      if (ok && this.#held.length > 0 && this.#sentUpTo > before) return this.fill();
    });
    return this.#reading;
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
