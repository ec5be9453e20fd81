import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerFrame } from '@parley/protocol';
import { openSqliteStore } from '../store/sqlite-store.js';
import { session } from '../store/store-contract.js';
import { Delivery, type Socket } from './delivery.js';

const SESSION = 'session-1';

describe('an agent socket\'s feeds', () => {
  it('M7, N2: a chat\'s live event that comes before the reconnected agent\'s work is followed starts at the agent\'s cursor, not at the first event', async () => {
    const store = openSqliteStore(':memory:');
    await store.createSession(session(SESSION, { state: 'active', agentId: 'ana' }));
    for (let index = 1; index <= 6; index++) await store.appendEvent(SESSION, { kind: 'message', from: 'customer', author: 'Dana', text: `m${index}` }, index, `c${index}`);
    const delivery = new Delivery({
      readEvents: (sessionId, afterSeq) => store.eventsAfter(sessionId, afterSeq),
      waitingSessions: async () => [],
      officesOf: () => ['north'],
      availability: (button) => ({ button, online: true, reason: 'agents' }),
      buttons: () => [],
      officeOf: () => 'north',
      failed: (error) => assert.fail(String(error)),
    });
    const frames: ServerFrame[] = [];
    const socket: Socket = { send: (frame) => frames.push(frame), close: () => {} };

    // The agent's client had seq 4; while its hello is still being answered, the customer writes seq 7.
    delivery.addAgent(socket, 'ana', { [SESSION]: 4 });
    const { seq } = await store.appendEvent(SESSION, { kind: 'message', from: 'customer', author: 'Dana', text: 'm7' }, 7, 'c7');
    delivery.deliver({ type: 'session-event', agentIds: ['ana'], event: { sessionId: SESSION, seq, at: 7, event: { kind: 'message', from: 'customer', author: 'Dana', text: 'm7' } } });
    await delivery.followSessions(socket, [[SESSION, 4]]);

    const sent = frames.flatMap((frame) => (frame.type === 'event' ? [frame.seq] : []));
    assert.deepEqual(sent, [5, 6, 7]);
  });
});
