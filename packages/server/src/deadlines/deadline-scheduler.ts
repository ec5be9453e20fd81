import type { Clock } from '../clock/clock.js';
import { StoreReadOnlyError, type StoredDeadline, type Store } from '../store/store.js';
import { ServiceError } from '../service/context.js';
import { deadlineKey, parseDeadline, type Deadline, type DeadlineKind, type DeadlineOf } from './deadline.js';

/** Runs one kind of deadline; `dueAt` is the time it was set for. Handlers are idempotent. */
export type DeadlineHandler<K extends DeadlineKind> = (deadline: DeadlineOf<K>, dueAt: number) => Promise<void>;

/**
 * Durable deadlines (S10): each is a row in the store, so a restarted process
 * picks them up where the old one left off. One timer on the clock waits for
 * the earliest; when it fires, every deadline now due runs in time order,
 * through the handler registered for its kind. A deadline is cleared after its
 * handler ran, unless the handler moved it, so a crash mid-way runs it again
 * rather than never.
 *
 * Every node runs this: each due deadline is claimed in a transaction of its
 * own (`claimDeadline`: no other node gets it while the claim is open), its
 * handler runs inside that transaction and it is cleared there, so it fires
 * once, with its stored effects, whichever nodes run at the time.
 */
export class DeadlineScheduler {
  readonly #handlers = new Map<DeadlineKind, DeadlineHandler<DeadlineKind>>();
  #cancel: (() => void) | undefined;
  #armedFor: number | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (error: unknown, deadline?: StoredDeadline) => void,
    /** Told how late (ms, on the clock) each deadline runs after it fell due. */
    private readonly onLate: (lateMs: number) => void = () => {},
  ) {}

  /** Registers the handler of one kind (each part of the service registers its own). */
  handle<K extends DeadlineKind>(kind: K, handler: DeadlineHandler<K>): void {
    this.#handlers.set(kind, handler as unknown as DeadlineHandler<DeadlineKind>);
  }

  /** Arms the timer for what is stored (call once at start-up). */
  async start(): Promise<void> {
    await this.#rearm();
  }

  async set(deadline: Deadline, dueAt: number): Promise<void> {
    await this.store.setDeadline({ ...deadlineKey(deadline), dueAt });
    if (this.#armedFor === undefined || dueAt < this.#armedFor) await this.#rearm();
  }

  async clear(deadline: Deadline): Promise<void> {
    const { subject, kind } = deadlineKey(deadline);
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
    while (!this.#stopped && (await this.store.transaction(() => this.#fireOne()))) {
      // Claimed, ran and cleared: look for the next one due.
    }
    await this.#rearm();
  }

  /** Claims one due deadline, runs it and clears it, all in the caller's transaction; false when none is due. */
  async #fireOne(): Promise<boolean> {
    const stored = await this.store.claimDeadline(this.clock.now());
    if (!stored) return false;
    try {
      await this.#dispatch(stored);
    } catch (error) {
      // The store failed (or a deadlock): the transaction rolls back and the deadline stays to run again.
      if (fromStore(error)) throw error;
      // A handler that cannot do its work now never will: it is reported and cleared, not run forever.
      this.onError(error, stored);
    }
    await this.store.clearDeadline(stored.subject, stored.kind, stored.dueAt);
    this.store.afterCommit(() => this.onLate(this.clock.now() - stored.dueAt));
    return true;
  }

  async #dispatch(stored: StoredDeadline): Promise<void> {
    const deadline = parseDeadline(stored);
    const handler = deadline && this.#handlers.get(deadline.kind);
    if (!deadline || !handler) throw new Error(`no handler for the deadline ${stored.subject} ${stored.kind}`);
    await handler(deadline, stored.dueAt);
  }

  async #rearm(): Promise<void> {
    if (this.#stopped) return;
    this.#cancel?.();
    const next = await this.store.nextDeadline();
    this.#armedFor = next?.dueAt;
    this.#cancel = next ? this.clock.setTimer(() => void this.runDue(), next.dueAt - this.clock.now()) : undefined;
  }
}

/** An error from the store (a refused write, a lost connection, an SQL error), not from the handler's own logic. */
function fromStore(error: unknown): boolean {
  if (error instanceof StoreReadOnlyError) return true;
  if (error instanceof ServiceError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(SQLITE_|[0-9A-Z]{5}$)/.test(code);
}
