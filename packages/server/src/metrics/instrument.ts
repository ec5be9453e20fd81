import { performance } from 'node:perf_hooks';
import type { EventBus } from '../bus/event-bus.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';

/** The store, with every call timed by operation (`parley_store_seconds`). */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const timed = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      let wrapper = timed.get(property);
      if (!wrapper) {
        const histogram = metrics.storeLatency.labels({ operation: String(property) });
        wrapper = (...args: unknown[]) => {
          const started = performance.now();
          const done = () => histogram.observe((performance.now() - started) / 1000);
          const result = (value as (...parameters: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise) return result.finally(done);
          done();
          return result;
        };
        timed.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/**
 * The bus, with the time from publish to each of this node's listeners
 * (`parley_bus_lag_seconds`). In one process that is the fan-out of a publish;
 * a shared bus observes its own transport lag on the same histogram.
 */
export function instrumentBus(bus: EventBus, metrics: Metrics): EventBus {
  const published = new WeakMap<DomainEvent, number>();
  return {
    publish(event) {
      published.set(event, performance.now());
      bus.publish(event);
    },
    subscribe(listener) {
      return bus.subscribe((event) => {
        const at = published.get(event);
        if (at !== undefined) metrics.busLag.observe((performance.now() - at) / 1000);
        listener(event);
      });
    },
  };
}
