import type { Store } from '../store/store.js';

/**
 * A store that records the name of every call while `counting()` is true, except the ones in
 * `local` (calls that only look at this process's transaction scope: no round trip to count).
 */
export function countingStore(inner: Store, local: ReadonlySet<PropertyKey>, calls: string[], counting: () => boolean): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (counting() && !local.has(property)) calls.push(String(property));
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
