import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import type { Connection } from './connection.js';
import { PINGS_PER_TURN, startHeartbeat } from './heartbeat.js';

const INTERVAL = 25_000;
/** One turn of the event loop (the heartbeat's next slice was queued before it). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** What the heartbeat uses of a connection: when its peer last spoke, send, terminate. */
function fakeConnection(lastSeen: number, sent: ServerFrame[], terminated: Set<unknown>): Connection {
  const connection = { lastSeen, send: (frame: ServerFrame) => sent.push(frame), socket: { terminate: () => terminated.add(connection) } };
  return connection as unknown as Connection;
}

/**
 * Idle visitors: a heartbeat sweep over tens of thousands of sockets is sent a slice per turn of
 * the event loop, with one ping frame (encoded once) for all, so an availability change or a
 * message due meanwhile goes out between two slices instead of waiting for the whole sweep.
 */
describe('heartbeat', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('pings every socket a slice per turn, with one frame object, and drops peers silent past the interval plus 10 s', async () => {
    const sent: ServerFrame[] = [];
    const terminated = new Set<unknown>();
    const total = PINGS_PER_TURN * 2 + 10;
    const connections = new Set(Array.from({ length: total }, () => fakeConnection(1_000_000, sent, terminated)));
    const silent = fakeConnection(1_000_000 - INTERVAL - 10_001, sent, terminated);
    connections.add(silent);
    const stop = startHeartbeat(connections, INTERVAL);

    mock.timers.tick(INTERVAL);
    // The interval fired: one slice now, the rest in later turns.
    assert.equal(sent.length, PINGS_PER_TURN);
    await nextTurn();
    assert.equal(sent.length, PINGS_PER_TURN * 2);
    await nextTurn();
    assert.equal(sent.length, total);
    assert.deepEqual([...terminated], [silent]);
    assert.equal(new Set(sent).size, 1, 'one frame object for every ping');
    assert.deepEqual(sent[0], { type: 'ping' });
    stop();
    mock.timers.tick(INTERVAL);
    assert.equal(sent.length, total);
  });
});
