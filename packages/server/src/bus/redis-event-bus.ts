import { Redis } from 'ioredis';
import * as v from 'valibot';
import type { DomainEvent } from '../events/domain-events.js';
import type { Logger } from '../service/logger.js';
import type { EventBus } from './event-bus.js';

export interface RedisEventBusOptions {
  /** `redis://host:6379` (or `rediss://`). */
  url: string;
  /** Channel names start with it: nodes of one deployment share it, other deployments (and tests) use their own. */
  prefix: string;
  /** This node: its own events reach its listeners at once, and are skipped when Redis echoes them. */
  nodeId: string;
  log: Logger;
}

export interface RedisEventBus extends EventBus {
  /**
   * Called after the subscription is back from a lost connection: events
   * published meanwhile never arrive, so the node reads again from the store.
   */
  onResubscribed: () => void;
  close(): Promise<void>;
}

/**
 * What travels on the channel. Redis is as trusted as the store (only nodes
 * publish there), but a malformed message, from an old node or a stray
 * client, is dropped instead of reaching the services.
 */
const Envelope = v.union([
  v.object({ node: v.string(), event: v.looseObject({ type: v.string() }) }),
  /** A node that dropped events while its own connection was down asks every node to resync. */
  v.object({ node: v.string(), resync: v.literal(true) }),
]);

/**
 * The bus between nodes on Redis pub/sub. Events are hints, never the truth:
 * a publish made while Redis is away is dropped (not queued, it would arrive
 * stale), and after a reconnect `onResubscribed` lets the node resync every
 * session from the store. ioredis reconnects with a backoff and re-subscribes.
 */
export async function createRedisEventBus(options: RedisEventBusOptions): Promise<RedisEventBus> {
  const { log, nodeId } = options;
  const channel = `${options.prefix}:events`;
  const listeners = new Set<(event: DomainEvent) => void>();
  const publisher = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
  // The subscriber queues its SUBSCRIBE until connected; ioredis re-subscribes after every reconnect.
  const subscriber = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: true });
  let reachable = true;
  /** Events this node could not publish: the other nodes missed them. */
  let dropped = false;
  const lost = (error: Error) => {
    if (reachable) log.warn({ err: error }, 'bus connection lost; events are read from the store when it is back');
    reachable = false;
  };
  publisher.on('error', lost);
  subscriber.on('error', lost);

  const deliver = (event: DomainEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let parsed: v.SafeParseResult<typeof Envelope>;
    try {
      parsed = v.safeParse(Envelope, JSON.parse(text));
    } catch {
      return log.warn({ channel }, 'unreadable bus message dropped');
    }
    if (!parsed.success) return log.warn({ channel }, 'malformed bus message dropped');
    const message = parsed.output;
    if (message.node === nodeId) return;
    if ('resync' in message) return bus.onResubscribed();
    deliver(message.event as DomainEvent);
  });

  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);
  let closing = false;
  /** A connection dropped since the node last had the whole bus: it resyncs once both are back. */
  let interrupted = false;
  let subscribed = true;
  publisher.on('close', () => (interrupted = !closing));
  subscriber.on('close', () => {
    interrupted = !closing;
    subscribed = false;
  });
  const back = () => {
    if (closing || !interrupted || !subscribed || publisher.status !== 'ready') return;
    interrupted = false;
    reachable = true;
    log.info('bus connection back; resyncing from the store');
    if (dropped) {
      dropped = false;
      publisher.publish(channel, JSON.stringify({ node: nodeId, resync: true })).catch((error: Error) => {
        dropped = true;
        lost(error);
      });
    }
    bus.onResubscribed();
  };
  publisher.on('ready', back);
  subscriber.on('ready', () => {
    // The subscription is live again before the store is read, so nothing falls between the two.
    void subscriber.subscribe(channel).then(() => {
      subscribed = true;
      back();
    }, lost);
  });

  const bus: RedisEventBus = {
    publish(event) {
      deliver(event);
      if (publisher.status !== 'ready') {
        dropped = true;
        return;
      }
      publisher.publish(channel, JSON.stringify({ node: nodeId, event })).catch((error: Error) => {
        dropped = true;
        lost(error);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResubscribed: () => {},
    async close() {
      closing = true;
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
  return bus;
}
