import type { SchedulerLike } from 'rxjs';
import type { ReceiptMarks } from '../chat/chat-view.js';

/**
 * Receipts wait this long, so a burst of events (a replay after a reconnect) costs one frame per session,
 * not one per event. Each receipt is a store write on the service: at 200 ms, a cluster under the chaos
 * bench's load (50 chats at 20 messages a second each) fell minutes behind; at a second it keeps up.
 */
export const RECEIPT_DELAY_MS = 1000;

/**
 * I4: a reader's receipts, per session. A receipt goes out only when a mark moves forward (the service
 * ignores one that does not, but a frame per event would spend the socket's frame budget), and is
 * remembered only once handed to an open socket. A new connection forgets them: what a drain may have
 * lost goes again with the next report.
 */
export class ReceiptReporter {
  #sent = new Map<string, ReceiptMarks>();
  readonly #due = new Map<string, ReceiptMarks>();

  constructor(
    private readonly send: (sessionId: string, marks: ReceiptMarks) => boolean,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** Everything up to `seq` reached this client; with `read`, it was shown too. */
  report(sessionId: string, seq: number, read: boolean): void {
    const base = this.#due.get(sessionId) ?? this.#sent.get(sessionId) ?? { delivered: 0, read: 0 };
    const next = { delivered: Math.max(base.delivered, seq), read: read ? Math.max(base.read, seq) : base.read };
    if (next.delivered === base.delivered && next.read === base.read) return;
    if (this.#due.size === 0) this.scheduler.schedule(() => this.#flush(), RECEIPT_DELAY_MS);
    this.#due.set(sessionId, next);
  }

  reconnected(): void {
    this.#sent = new Map();
  }

  #flush(): void {
    for (const [sessionId, marks] of this.#due) if (this.send(sessionId, marks)) this.#sent.set(sessionId, marks);
    this.#due.clear();
  }
}
