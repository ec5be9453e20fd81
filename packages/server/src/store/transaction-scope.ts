import { AsyncLocalStorage } from 'node:async_hooks';

/** One open transaction, as the code running inside it sees it. */
export interface OpenTransaction<Connection> {
  connection: Connection;
  afterCommit: Array<() => void>;
  /** Set when it committed or rolled back: work still running from inside it is on its own from then on. */
  finished?: boolean;
}

/**
 * Which transaction the running code is in, however deep the call: every
 * store call made from inside `run` joins it, so services compose operations
 * without passing a transaction around. Work after commit (announcing the
 * change to other nodes) runs outside any transaction, and only if it commits.
 */
export class TransactionScope<Connection> {
  readonly #storage = new AsyncLocalStorage<OpenTransaction<Connection>>();

  current(): OpenTransaction<Connection> | undefined {
    const open = this.#storage.getStore();
    return open?.finished ? undefined : open;
  }

  run<T>(transaction: OpenTransaction<Connection>, work: () => Promise<T>): Promise<T> {
    return this.#storage.run(transaction, work);
  }

  /** Runs `work` as if no transaction were open (work that must not join the caller's). */
  outside<T>(work: () => Promise<T>): Promise<T> {
    return this.#storage.exit(work);
  }

  afterCommit(callback: () => void): void {
    const open = this.current();
    if (open) open.afterCommit.push(callback);
    else callback();
  }

  /** Marks the transaction finished; the work that waited for its commit runs now, outside it. */
  finished(transaction: OpenTransaction<Connection>, committed: boolean): void {
    transaction.finished = true;
    if (!committed) return;
    this.#storage.exit(() => {
      for (const callback of transaction.afterCommit.splice(0)) callback();
    });
  }
}

/** A FIFO lock for code that awaits: one holder at a time. */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();
  /** Holders running or waiting their turn. */
  #held = 0;

  /** Nobody holds it or waits for it: work run now, synchronously, comes after everything queued before it. */
  get idle(): boolean {
    return this.#held === 0;
  }

  async run<T>(work: () => Promise<T> | T): Promise<T> {
    this.#held++;
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      this.#held--;
      release();
    }
  }
}
