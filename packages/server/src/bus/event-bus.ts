import type { DomainEvent } from '../events/domain-events.js';

/**
 * Carries domain events to every listener of every node. In one process this
 * is a list of listeners; on several nodes a shared bus (Redis) implements the
 * same interface, and the services never know which. The store is the truth:
 * an event is only a hint that something changed there.
 */
export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: (event: DomainEvent) => void): () => void;
}

export function createLocalEventBus(): EventBus {
  const listeners = new Set<(event: DomainEvent) => void>();
  return {
    publish(event) {
      for (const listener of [...listeners]) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
