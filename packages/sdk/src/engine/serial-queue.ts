/**
 * Runs async work one piece at a time, in the order given: store writes and
 * the frames that cause them never interleave. A failure is logged and does
 * not stop what follows.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();

  run(work: () => Promise<void>): Promise<void> {
    const done = this.#tail.then(work).catch((error: unknown) => console.warn('[parley]', error));
    this.#tail = done;
    return done;
  }
}
