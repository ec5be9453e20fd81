import type { Clock } from '../clock/clock.js';
import type { Deadline, Store } from '../store/store.js';

/**
 * Durable deadlines (S10): each is a row in the store, so a restarted process
 * picks them up where the old one left off. One timer on the clock waits for
 * the earliest; when it fires, every deadline now due runs in time order.
 * A deadline is cleared after its handler ran, unless the handler moved it,
 * so a crash mid-way runs it again rather than never (handlers are idempotent).
 */
export class DeadlineScheduler {
  #cancel: (() => void) | undefined;
  #armedFor: number | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onDue: (deadline: Deadline) => Promise<void>,
    private readonly onError: (error: unknown, deadline?: Deadline) => void,
  ) {}

  /** Arms the timer for what is stored (call once at start-up). */
  async start(): Promise<void> {
    await this.#rearm();
  }

  async set(subject: string, kind: string, dueAt: number): Promise<void> {
    await this.store.setDeadline({ subject, kind, dueAt });
    if (this.#armedFor === undefined || dueAt < this.#armedFor) await this.#rearm();
  }

  async clear(subject: string, kind: string): Promise<void> {
    await this.store.clearDeadline(subject, kind);
  }

  /** Runs whatever is due now; resolves when done (tests await it after moving the clock). */
  runDue(): Promise<void> {
    // A failure (say, a read-only store) must not break the chain for later runs.
    this.#running = this.#running.then(() => this.#fire()).catch((error: unknown) => this.onError(error));
    return this.#running;
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
  }

  async #fire(): Promise<void> {
    for (const deadline of await this.store.dueDeadlines(this.clock.now())) {
      if (this.#stopped) return;
      try {
        await this.onDue(deadline);
      } catch (error) {
        this.onError(error, deadline);
      }
      await this.store.clearDeadline(deadline.subject, deadline.kind, deadline.dueAt);
    }
    await this.#rearm();
  }

  async #rearm(): Promise<void> {
    if (this.#stopped) return;
    this.#cancel?.();
    const next = await this.store.nextDeadline();
    this.#armedFor = next?.dueAt;
    this.#cancel = next ? this.clock.setTimer(() => void this.runDue(), next.dueAt - this.clock.now()) : undefined;
  }
}
