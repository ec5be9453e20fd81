/** How often a node whose store refused a write tries a write again. */
export const STORE_PROBE_MS = 1000;

/**
 * M6: after the store refused a write (a database restarting, a disk that
 * filled), tries a write that changes nothing every second, in real time
 * like the heartbeat; the first that succeeds ends the wait and calls `back`,
 * which reads again what the node missed.
 */
export class StoreRecovery {
  #timer: NodeJS.Timeout | undefined;
  #trying = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly back: () => Promise<void>,
    private readonly failed: (error: unknown) => void,
    private readonly intervalMs = STORE_PROBE_MS,
  ) {}

  /** Starts probing, once however often the store refuses meanwhile. */
  watch(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#try(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #try(): Promise<void> {
    if (this.#trying) return;
    this.#trying = true;
    try {
      await this.probe();
    } catch {
      // Not yet: the next tick tries again.
      return void (this.#trying = false);
    }
    this.stop();
    try {
      await this.back();
    } catch (error) {
      this.failed(error);
    } finally {
      this.#trying = false;
    }
  }
}
