/**
 * The counts behind the abuse limits that must hold across every node of a
 * deployment: chats started per address and per browser, open sockets per
 * address. One node keeps them in memory (`createMemoryLimitCounters`); nodes
 * that share a store back this interface with shared state (e.g. Redis
 * INCR with an expiry, and a per-node hash for open sockets).
 */
export interface LimitCounters {
  /** Counts one more event under `key` in the fixed window of `windowMs` that holds `now`; resolves with the count in that window. */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /** One more open thing (a socket) under `key`; resolves with how many are open now. */
  open(key: string): Promise<number>;
  /** One fewer open thing under `key`. */
  close(key: string): void;
}

/** Windows and keys are dropped once stale, so a flood of addresses cannot grow memory for long. */
const SWEEP_AT = 10_000;

export function createMemoryLimitCounters(): LimitCounters {
  const windows = new Map<string, { start: number; windowMs: number; count: number }>();
  const open = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [key, window] of windows) if (now >= window.start + window.windowMs) windows.delete(key);
  };
  return {
    async hit(key, windowMs, now) {
      const start = now - (now % windowMs);
      const current = windows.get(key);
      if (current && current.start === start) return ++current.count;
      if (windows.size >= SWEEP_AT) sweep(now);
      windows.set(key, { start, windowMs, count: 1 });
      return 1;
    },
    async open(key) {
      const count = (open.get(key) ?? 0) + 1;
      open.set(key, count);
      return count;
    },
    close(key) {
      const count = (open.get(key) ?? 0) - 1;
      if (count > 0) open.set(key, count);
      else open.delete(key);
    },
  };
}
