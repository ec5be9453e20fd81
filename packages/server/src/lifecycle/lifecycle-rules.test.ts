import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  onAgentInitiated,
  onAgentMessage,
  onCustomerMessage,
  onDeadline,
  onNotification,
  type LifecycleConfig,
  type LifecycleSession,
} from './lifecycle-rules.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const config: LifecycleConfig = {
  customerInactivityMinutes: 5,
  inactiveEndHours: 24,
  agentInitiatedEndHours: 24,
  notificationLongevityHours: 48,
  optOutKeywords: ['STOP', 'unsubscribe'],
};
const active: LifecycleSession = { state: 'active', awaitingReply: false, awaitingFirstReply: false };

describe('session lifecycle rules', () => {
  it('S2: the countdown starts at the first agent message after the customer, and later agent messages do not restart it (seed 002 example)', () => {
    // Customer: "I think so, let me check."
    let session = { ...active, ...onCustomerMessage(active, 'I think so, let me check.', config) };
    assert.equal(session.awaitingReply, true);
    // Agent at 10:00: "Hello, were you able to find the ID?" (timer starts)
    const first = onAgentMessage(session, 0, config);
    assert.deepEqual(first.deadlines, { inactivity: 5 * MINUTE });
    session = { ...session, awaitingReply: first.awaitingReply ?? session.awaitingReply };
    // Agent at 10:02: "Hello? Is it me you're looking for?" (no restart)
    assert.deepEqual(onAgentMessage(session, 2 * MINUTE, config).deadlines, {});
  });

  it('S1: goes Inactive when the countdown runs out, and is off when not configured', () => {
    const decision = onDeadline(active, 'inactivity', 5 * MINUTE, config);
    assert.deepEqual(decision.transition, { to: 'inactive', reason: 'customer-inactivity' });
    const off = onAgentMessage({ ...active, awaitingReply: true }, 0, { ...config, customerInactivityMinutes: null });
    assert.deepEqual(off.deadlines, {});
  });

  it('S1: a customer reply clears the countdown', () => {
    assert.equal(onCustomerMessage(active, 'found it', config).deadlines.inactivity, null);
  });

  it('S3: a customer message on an Inactive session moves it to Waiting', () => {
    const decision = onCustomerMessage({ ...active, state: 'inactive' }, 'back again', config);
    assert.deepEqual(decision.transition, { to: 'waiting', reason: 'customer-returned' });
    assert.equal(decision.deadlines.end, null);
  });

  it('S4: an agent writing to an Inactive session is refused with session_inactive', () => {
    assert.equal(onAgentMessage({ ...active, state: 'inactive' }, 0, config).refuse, 'session_inactive');
  });

  it('S5: an Inactive session ends inactiveEndHours after going Inactive', () => {
    const inactive = onDeadline(active, 'inactivity', 1000, config);
    assert.equal(inactive.deadlines.end, 1000 + 24 * HOUR);
    const ended = onDeadline({ ...active, state: 'inactive' }, 'end', 1000 + 24 * HOUR, config);
    assert.deepEqual(ended.transition, { to: 'ended', reason: 'inactive-timeout' });
  });

  it('S6: an agent-initiated session with no reply ends after 24 h (standard) or the enhanced hours', () => {
    assert.equal(onAgentInitiated(0, config).deadlines.end, 24 * HOUR);
    assert.equal(onAgentInitiated(0, { ...config, agentInitiatedEndHours: 48 }).deadlines.end, 48 * HOUR);
    const ended = onDeadline({ ...active, awaitingFirstReply: true }, 'end', 24 * HOUR, config);
    assert.deepEqual(ended.transition, { to: 'ended', reason: 'no-reply' });
    const replied = onCustomerMessage({ ...active, awaitingFirstReply: true }, 'hi', config);
    assert.equal(replied.deadlines.end, null);
    assert.equal(replied.awaitingFirstReply, false);
  });

  it('S7: a notification ends its session at once unless sent with 48-hour longevity', () => {
    assert.deepEqual(onNotification(0, false, config).transition, { to: 'ended', reason: 'notification' });
    const kept = onNotification(0, true, config);
    assert.equal(kept.transition, undefined);
    assert.equal(kept.deadlines.end, 48 * HOUR);
  });

  it('S8: an opt-out keyword ends the session and records the opt-out, whatever its case', () => {
    const decision = onCustomerMessage(active, '  stop ', config);
    assert.deepEqual(decision.transition, { to: 'ended', reason: 'opt-out' });
    assert.equal(decision.optOut, true);
    assert.equal(onCustomerMessage(active, 'please stop that', config).optOut, undefined);
  });

  it('refuses writes to an Ended session', () => {
    assert.equal(onCustomerMessage({ ...active, state: 'ended' }, 'hello?', config).refuse, 'session_ended');
    assert.equal(onAgentMessage({ ...active, state: 'ended' }, 0, config).refuse, 'session_ended');
  });
});
