import assert from 'node:assert/strict';
import { beforeEach, describe, it, mock } from 'node:test';
import type { SequencedEvent } from '@parley/protocol';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { FEED_RETRY_MS, SessionFeed } from './session-feed.js';

const SESSION = 'session-1';

/** Events as two nodes would store them: each one gets the next seq in the store before it is published. */
async function storeMessages(store: Store, count: number, first = 1): Promise<SequencedEvent[]> {
  const stored: SequencedEvent[] = [];
  for (let index = first; index < first + count; index++) {
    const event = { kind: 'message' as const, from: 'customer' as const, author: 'Dana', text: `m${index}` };
    const { seq } = await store.appendEvent(SESSION, event, 1000 + index, `c${index}`);
    stored.push({ sessionId: SESSION, seq, at: 1000 + index, event });
  }
  return stored;
}

describe('a socket\'s session feed', () => {
  let store: Store;
  let sent: number[];
  let feed: SessionFeed;
  let reads: number;
  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    await store.createSession({
      id: SESSION, button: 'sales', office: 'north', browserId: 'b', state: 'active', origin: 'customer', prechat: {},
      agentId: null, previousAgentId: null, lastSeq: 0, awaitingReply: false, awaitingFirstReply: false, createdAt: 0, updatedAt: 0,
    });
    sent = [];
    reads = 0;
    feed = new SessionFeed(SESSION, 0, (sessionId, after) => (reads++, store.eventsAfter(sessionId, after)), (event) => sent.push(event.seq), (error) => assert.fail(String(error)));
  });

  it('N1: sends events in seq order as they come, each once', async () => {
    const events = await storeMessages(store, 3);
    for (const event of events) feed.offer(event);
    feed.offer(events[1]!);
    assert.deepEqual(sent, [1, 2, 3]);
    assert.equal(reads, 0);
  });

  it('N1: an event that overtook an earlier one (published by another node) fills the gap from the store, and the late one is not sent twice', async () => {
    const events = await storeMessages(store, 5);
    for (const event of events.slice(0, 3)) feed.offer(event);
    // seq 5 arrives before seq 4: with `sentUpTo = frame.seq`, seq 4 would be dropped when it came.
    feed.offer(events[4]!);
    await feed.fill();
    feed.offer(events[3]!);
    assert.deepEqual(sent, [1, 2, 3, 4, 5]);
  });

  it('N1: a lost bus message is read from the store when the next one arrives', async () => {
    const events = await storeMessages(store, 7);
    feed.offer(events[0]!);
    feed.offer(events[6]!);
    await feed.fill();
    assert.deepEqual(sent, [1, 2, 3, 4, 5, 6, 7]);
  });

  it('N1: events that arrive while the store is read are held, then sent in order without repeats', async () => {
    const events = await storeMessages(store, 4);
    const filling = feed.fill();
    for (const event of [events[3]!, events[1]!, events[2]!]) feed.offer(event);
    await filling;
    assert.deepEqual(sent, [1, 2, 3, 4]);
    const more = await storeMessages(store, 2, 5);
    for (const event of more.reverse()) feed.offer(event);
    await feed.fill();
    assert.deepEqual(sent, [1, 2, 3, 4, 5, 6]);
  });

  it('N3: when the store cannot be read, the gap is filled by the next attempt', async () => {
    const events = await storeMessages(store, 3);
    let down = true;
    const failures: unknown[] = [];
    const flaky = new SessionFeed(SESSION, 0, (sessionId, after) => (down ? Promise.reject(new Error('store down')) : store.eventsAfter(sessionId, after)), (event) => sent.push(event.seq), (error) => failures.push(error));
    flaky.offer(events[2]!);
    await flaky.fill();
    assert.deepEqual(sent, []);
    assert.equal(failures.length, 1);
    down = false;
    await flaky.fill();
    assert.deepEqual(sent, [1, 2, 3]);
  });

  it('N1, N3: after a failed read the feed reads again by itself, so the last events of a chat reach the socket with nothing else arriving', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const events = await storeMessages(store, 2);
      let down = true;
      const failures: unknown[] = [];
      const flaky = new SessionFeed(SESSION, 0, (sessionId, after) => (down ? Promise.reject(new Error('no pooled connection in time')) : store.eventsAfter(sessionId, after)), (event) => sent.push(event.seq), (error) => failures.push(error));
      // The reply (seq 2) arrives past a gap, and the read that would fill it fails: nothing else will come.
      flaky.offer(events[1]!);
      await flaky.fill();
      assert.deepEqual([sent, failures.length], [[], 1]);
      down = false;
      mock.timers.tick(FEED_RETRY_MS);
      // Nobody calls fill(): the feed's own retry reads the store (a few turns of the event loop).
      for (let turn = 0; turn < 20 && sent.length < 2; turn++) await new Promise(setImmediate);
      assert.deepEqual(sent, [1, 2]);

      // A closed feed (its socket gone) reads no more.
      let reads = 0;
      const closed = new SessionFeed(SESSION, 0, () => (reads++, Promise.reject(new Error('down'))), () => {}, () => {});
      closed.offer(events[1]!);
      await closed.fill();
      closed.close();
      mock.timers.tick(FEED_RETRY_MS);
      for (let turn = 0; turn < 20; turn++) await new Promise(setImmediate);
      assert.equal(reads, 1);
    } finally {
      mock.timers.reset();
    }
  });
});
