import type { Store } from '../store/store.js';

/**
 * A store that records the name of every call made inside `count`, except the ones in `local`
 * (calls that only look at this process's transaction scope: no round trip to count).
 */
export function countingStore(inner: Store, local: ReadonlySet<PropertyKey>): { store: Store; count(work: () => Promise<unknown>): Promise<string[]> } {
  const calls: string[] = [];
  let counting = false;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (counting && !local.has(property)) calls.push(String(property));
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    /** The calls `work` made, in order. */
    async count(work) {
      calls.length = 0;
      counting = true;
      try {
        await work();
      } finally {
        counting = false;
      }
      return [...calls];
    },
  };
}
