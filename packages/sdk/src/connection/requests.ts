import { ParleyError } from '../errors/parley-error.js';
import type { CommandFrame, ServerFrame } from '@parley/protocol';
import type { Connection } from './connection.js';

/** How long a command waits for the connection before it is refused. */
const CONNECT_WAIT_MS = 10_000;

/**
 * Commands that expect an answer: each goes out with a fresh `ref` once the
 * connection is open, and settles with the `result`, `ack` or `error` that
 * carries the same `ref`. A dropped connection rejects what is still open.
 */
export class Requests {
  readonly #pending = new Map<string, { resolve: (frame: ServerFrame) => void; reject: (error: ParleyError) => void }>();

  constructor(
    private readonly connection: Connection,
    private readonly newId: () => string,
  ) {}

  /** Sends the frame with a new ref (told to `named` first) and resolves with its answer. */
  async send(frame: CommandFrame, named?: (ref: string) => void): Promise<ServerFrame> {
    const open = await this.connection.whenOpen(CONNECT_WAIT_MS);
    const ref = this.newId();
    named?.(ref);
    return new Promise((resolve, reject) => {
      if (!open || !this.connection.send({ ...frame, ref })) {
        reject(new ParleyError('disconnected', 'Not connected to the chat service; try again in a moment.'));
        return;
      }
      this.#pending.set(ref, { resolve, reject });
    });
  }

  /** Settles the request a `result`, `ack` or `error` answers, if any. */
  answer(frame: ServerFrame): void {
    if (frame.type !== 'result' && frame.type !== 'ack' && frame.type !== 'error') return;
    const pending = frame.ref ? this.#pending.get(frame.ref) : undefined;
    if (!pending) return;
    this.#pending.delete(frame.ref!);
    if (frame.type === 'error') pending.reject(new ParleyError(frame.code, frame.message));
    else pending.resolve(frame);
  }

  /** The connection dropped: nothing in flight will be answered. */
  dropAll(): void {
    for (const [ref, pending] of this.#pending) {
      this.#pending.delete(ref);
      pending.reject(new ParleyError('disconnected', 'The connection dropped before the service answered.'));
    }
  }
}
