import type { ReceiptMarks } from '../chat/chat-view.js';

/**
 * I4: a reader's receipts, per session. A receipt goes out only when a mark moves forward (the service
 * ignores one that does not, but a frame per event would spend the socket's budget), and is remembered
 * only once handed to an open socket. A new connection forgets them: what a drain may have lost goes again.
 */
export class ReceiptReporter {
  #sent = new Map<string, ReceiptMarks>();

  constructor(private readonly send: (sessionId: string, marks: ReceiptMarks) => boolean) {}

  /** Everything up to `seq` reached this client; with `read`, it was shown too. */
  report(sessionId: string, seq: number, read: boolean): void {
    const sent = this.#sent.get(sessionId) ?? { delivered: 0, read: 0 };
    const next = { delivered: Math.max(sent.delivered, seq), read: read ? Math.max(sent.read, seq) : sent.read };
    if (next.delivered !== sent.delivered || next.read !== sent.read) if (this.send(sessionId, next)) this.#sent.set(sessionId, next);
  }

  reconnected(): void {
    this.#sent = new Map();
  }
}
