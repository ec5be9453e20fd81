import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlineKey, parseDeadline, type Deadline } from './deadline.js';

describe('typed deadlines', () => {
  const every: Deadline[] = [
    { kind: 'session-inactivity', sessionId: 's1' },
    { kind: 'session-end', sessionId: 's1' },
    { kind: 'agent-disconnect', agentId: 'ana' },
    { kind: 'agent-idle', agentId: 'ana@north:2' },
    { kind: 'agent-grace', agentId: 'ana' },
    { kind: 'offer-expiry', offerId: 'o1' },
    { kind: 'work-stuck', sessionId: 's1', agentId: 'team:ana' },
    { kind: 'window-notice', windowId: 'w1' },
    { kind: 'window-agents-offline', windowId: 'w1' },
    { kind: 'window-start', windowId: 'w1' },
    { kind: 'window-end', windowId: 'w1' },
  ];

  it('S10: every kind is stored under a key it is read back from', () => {
    for (const deadline of every) assert.deepEqual(parseDeadline(deadlineKey(deadline)), deadline);
    assert.equal(new Set(every.map((deadline) => JSON.stringify(deadlineKey(deadline)))).size, every.length);
  });

  it('S10: keeps the stored row format, so nodes of the previous version read the same rows', () => {
    assert.deepEqual(deadlineKey({ kind: 'session-end', sessionId: 's1' }), { subject: 'session:s1', kind: 'end' });
    assert.deepEqual(deadlineKey({ kind: 'work-stuck', sessionId: 's1', agentId: 'ana' }), { subject: 'work:s1:ana', kind: 'stuck' });
    assert.deepEqual(deadlineKey({ kind: 'offer-expiry', offerId: 'o1' }), { subject: 'offer:o1', kind: 'offer' });
  });

  it('S10: a row this version does not know is not mistaken for another kind', () => {
    assert.equal(parseDeadline({ subject: 'session:s1', kind: 'idle' }), undefined);
    assert.equal(parseDeadline({ subject: 'nothing', kind: 'end' }), undefined);
    assert.equal(parseDeadline({ subject: 'work:s1', kind: 'stuck' }), undefined);
  });
});
