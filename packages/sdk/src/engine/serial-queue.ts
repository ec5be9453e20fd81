/**
 * Runs async work one piece at a time, in the order given: store writes and
 * the frames that cause them never interleave. A failure is logged and does
 * not stop what follows.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;

  /** Pieces queued or running: 1 inside a piece means no other waits behind it. */
  get size(): number {
    return this.#queued;
  }

  run(work: () => Promise<void>): Promise<void> {
    this.#queued++;
    const done = this.#tail
      .then(work)
      .catch((error: unknown) => console.warn('[parley]', error))
      .finally(() => this.#queued--);
    this.#tail = done;
    return done;
  }
}
