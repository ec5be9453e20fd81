import type { ServerFrame } from '@parley/protocol';

/**
 * Topics frames are published on:
 * - `session:<id>`: the customer sockets of a session and the agents working on it;
 * - `agent:<id>`: every socket of one agent (all tabs, all browsers: P3, A6);
 * - `button:<id>`: customer sockets showing a button (availability);
 * - `customers`, `agents`: everyone of a role (maintenance notices).
 */
export type Topic = `session:${string}` | `agent:${string}` | `button:${string}` | 'customers' | 'agents';

/**
 * Fan-out of frames to sockets. In one process this is a map of listeners; a
 * shared bus (several nodes on Redis) implements the same interface, and the
 * routing and lifecycle code never knows which.
 */
export interface EventBus {
  publish(topic: Topic, frame: ServerFrame): void;
  subscribe(topic: Topic, listener: (frame: ServerFrame) => void): () => void;
}

export function createLocalEventBus(): EventBus {
  const listeners = new Map<Topic, Set<(frame: ServerFrame) => void>>();
  return {
    publish(topic, frame) {
      for (const listener of [...(listeners.get(topic) ?? [])]) listener(frame);
    },
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      set.add(listener);
      listeners.set(topic, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(topic);
      };
    },
  };
}
