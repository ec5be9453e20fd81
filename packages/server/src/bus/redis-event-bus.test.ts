import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { DomainEvent } from '../events/domain-events.js';
import { silentLogger } from '../service/logger.js';
import { RedisProcess, TEST_REDIS_URL, testBusPrefix } from '../test-support/redis.js';
import { createRedisEventBus, type RedisEventBus } from './redis-event-bus.js';

const typing = (sessionId: string): DomainEvent => ({ type: 'typing', sessionId, from: 'customer', on: true, agentIds: [] });

/** Records what a bus's listeners receive; `until` resolves when a matching event arrives. */
function listen(bus: RedisEventBus) {
  const seen: DomainEvent[] = [];
  const waiters: Array<{ match: (event: DomainEvent) => boolean; resolve: () => void }> = [];
  bus.subscribe((event) => {
    seen.push(event);
    for (const waiter of waiters.filter((candidate) => candidate.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const until = (match: (event: DomainEvent) => boolean) =>
    seen.some(match) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ match, resolve }));
  return { seen, until, sessions: () => seen.map((event) => (event as { sessionId?: string }).sessionId) };
}

const resubscribed = (bus: RedisEventBus) => new Promise<void>((resolve) => (bus.onResubscribed = resolve));

describe('the bus on Redis', () => {
  const buses: RedisEventBus[] = [];
  const open = async (url: string, prefix: string, nodeId: string) => {
    const bus = await createRedisEventBus({ url, prefix, nodeId, log: silentLogger });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close();
  });

  it('N1: an event reaches the listeners of every node once: its own at once, the others through Redis, never echoed back; other prefixes hear nothing', async () => {
    const prefix = testBusPrefix('bus');
    const [a, b] = [await open(TEST_REDIS_URL, prefix, 'node-a'), await open(TEST_REDIS_URL, prefix, 'node-b')];
    const elsewhere = await open(TEST_REDIS_URL, testBusPrefix('bus'), 'node-c');
    const [onA, onB, onElsewhere] = [listen(a), listen(b), listen(elsewhere)];
    a.publish(typing('s1'));
    assert.deepEqual(onA.sessions(), ['s1']);
    a.publish(typing('s2'));
    await onB.until((event) => (event as { sessionId?: string }).sessionId === 's2');
    b.publish(typing('s3'));
    // Redis keeps one publisher's order: had a's own events come back to it, they would be here before s3.
    await onA.until((event) => (event as { sessionId?: string }).sessionId === 's3');
    assert.deepEqual(onA.sessions(), ['s1', 's2', 's3']);
    assert.deepEqual(onB.sessions(), ['s1', 's2', 's3']);
    assert.deepEqual(onElsewhere.seen, []);
  });

  it('N1: a malformed message on the channel is dropped, and the next one still arrives', async () => {
    const prefix = testBusPrefix('bus');
    const bus = await open(TEST_REDIS_URL, prefix, 'node-a');
    const received = listen(bus);
    const stray = new Redis(TEST_REDIS_URL);
    after(() => stray.disconnect());
    await stray.publish(`${prefix}:events`, 'not json');
    await stray.publish(`${prefix}:events`, JSON.stringify({ node: 'node-x', event: 'typing' }));
    await stray.publish(`${prefix}:events`, JSON.stringify({ node: 'node-x', event: typing('s9') }));
    await received.until(() => true);
    assert.deepEqual(received.sessions(), ['s9']);
  });

  it('N3: Redis killed and restarted: every node resubscribes and resyncs, events published meanwhile are dropped (not replayed stale), and events flow again', async () => {
    const redis = await RedisProcess.start();
    after(() => redis.kill());
    const prefix = testBusPrefix('bus');
    const [a, b] = [await open(redis.url, prefix, 'node-a'), await open(redis.url, prefix, 'node-b')];
    const onB = listen(b);
    await redis.kill();
    const resynced = [resubscribed(a), resubscribed(b)];
    // Published while Redis is away: the publisher's own listeners have it, the other node will resync.
    a.publish(typing('during'));
    await redis.restart();
    await Promise.all(resynced);
    a.publish(typing('after'));
    await onB.until((event) => (event as { sessionId?: string }).sessionId === 'after');
    assert.deepEqual(onB.sessions(), ['after']);
  });
});
