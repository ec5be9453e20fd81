/** The part of the Web Locks API used here (`navigator.locks`). */
export interface LocksLike {
  request(name: string, options: { mode: 'exclusive' }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

export interface Leadership {
  /** Resolves when this tab holds the lock: it alone then keeps the connection. */
  readonly acquired: Promise<void>;
  /** Gives the lock up (the tab closes or the client stops); the next tab in line takes it. */
  release(): void;
}

/**
 * One leader per browser among the tabs of an origin: whoever holds the Web
 * Lock named `name`. The lock is freed by the browser when the tab goes away,
 * however it goes, so the next tab takes over without any timeout. Without
 * Web Locks every tab leads itself and stands alone.
 */
export function electLeader(name: string, locks: LocksLike | undefined): Leadership {
  if (!locks) return { acquired: Promise.resolve(), release() {} };
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const acquired = new Promise<void>((resolve) => {
    locks.request(name, { mode: 'exclusive' }, () => {
      resolve();
      return held;
    }).catch(() => {});
  });
  return { acquired, release: () => release() };
}
