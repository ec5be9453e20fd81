import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTakeWork, initialPresence, reducePresence, type PresenceEvent, type PresenceRules, type PresenceState } from './presence-rules.js';

const rules: PresenceRules = {
  customStatuses: [
    { id: 'lunch', label: 'At lunch', base: 'away' },
    { id: 'training', label: 'Training', base: 'offline' },
    { id: 'chat-only', label: 'Chat only', base: 'available' },
  ],
  declineSetsAway: false,
};
const fresh = () => initialPresence('ana', ['north', 'south'], 2, 0);
const apply = (state: PresenceState, ...events: Array<[PresenceEvent, number]>) =>
  events.reduce((current, [event, now]) => reducePresence(current, event, now, rules), state);
const agentSets = (status: string, office?: string): PresenceEvent => ({ type: 'set', status, office, source: 'agent', actor: 'ana' });

describe('presence rules', () => {
  it('A1: an agent signs in Offline by default', () => {
    const state = apply(fresh(), [{ type: 'sign-in' }, 1]);
    assert.equal(state.status, 'offline');
    assert.deepEqual(state.reason, { source: 'system', cause: 'default', actor: 'system', at: 1 });
  });

  it('P9: signs in with the default presence set for the agent', () => {
    assert.equal(apply(fresh(), [{ type: 'sign-in', defaultStatus: 'available' }, 1]).status, 'available');
    const lunch = apply(fresh(), [{ type: 'sign-in', defaultStatus: 'lunch' }, 1]);
    assert.equal(lunch.status, 'away');
    assert.equal(lunch.custom, 'lunch');
  });

  it('A4: Away for one office, Available for the others; a global change sets every office', () => {
    let state = apply(fresh(), [agentSets('available'), 1], [agentSets('away', 'north'), 2]);
    assert.deepEqual(state.offices, { north: 'away', south: 'available' });
    assert.equal(state.status, 'available');
    assert.equal(canTakeWork(state, 'north'), false);
    assert.equal(canTakeWork(state, 'south'), true);
    state = apply(state, [agentSets('away'), 3]);
    assert.deepEqual(state.offices, { north: 'away', south: 'away' });
    assert.equal(state.status, 'away');
    state = apply(state, [agentSets('available', 'south'), 4]);
    assert.deepEqual(state.offices, { north: 'away', south: 'available' });
    assert.equal(state.status, 'available');
  });

  it('A5: an admin sets an agent Away for an office, with the admin as the actor', () => {
    const state = apply(fresh(), [agentSets('available'), 1], [{ type: 'set', status: 'away', office: 'north', source: 'admin', actor: 'boss' }, 2]);
    assert.equal(state.offices.north, 'away');
    assert.deepEqual(state.reason, { source: 'admin', cause: 'manual', actor: 'boss', at: 2 });
  });

  it('P1: manual Available is soft (Busy at capacity, back when freed); manual Away is sticky', () => {
    let state = apply(fresh(), [agentSets('available'), 1], [{ type: 'capacity', used: 2, total: 2 }, 2]);
    assert.equal(state.status, 'busy');
    assert.equal(state.reason.cause, 'capacity');
    state = apply(state, [{ type: 'capacity', used: 1, total: 2 }, 3]);
    assert.equal(state.status, 'available');
    state = apply(state, [agentSets('away'), 4], [{ type: 'capacity', used: 0, total: 2 }, 5]);
    assert.equal(state.status, 'away');
  });

  it('P1: the latest manual intent wins over an automatic change queued before it', () => {
    const state = apply(fresh(), [agentSets('available'), 10], [{ type: 'idle', since: 5 }, 11]);
    assert.equal(state.status, 'available');
  });

  it('A3: idle moves Available to Away, but never overrides a sticky manual status', () => {
    assert.equal(apply(fresh(), [agentSets('available'), 1], [{ type: 'idle', since: 2 }, 3]).reason.cause, 'idle');
    const offline = apply(fresh(), [agentSets('offline'), 1], [{ type: 'idle', since: 2 }, 3]);
    assert.equal(offline.status, 'offline');
    assert.equal(offline.reason.cause, 'manual');
  });

  it('P7: a disconnect past the grace sets Offline with reason disconnect', () => {
    const state = apply(fresh(), [agentSets('available'), 1], [{ type: 'disconnected' }, 2]);
    assert.equal(state.status, 'offline');
    assert.deepEqual(state.reason, { source: 'system', cause: 'disconnect', actor: 'system', at: 2 });
  });

  it('P8: custom statuses map onto their base status', () => {
    assert.equal(apply(fresh(), [agentSets('training'), 1]).status, 'offline');
    const chatOnly = apply(fresh(), [agentSets('chat-only'), 1]);
    assert.equal(chatOnly.status, 'available');
    assert.equal(chatOnly.custom, 'chat-only');
    assert.equal(apply(fresh(), [agentSets('no-such-status'), 1]).version, 0);
  });

  it('P10: a missed offer sets Away (missed); a decline follows configuration; reset returns to the capacity status', () => {
    const available = apply(fresh(), [agentSets('available'), 1], [{ type: 'capacity', used: 2, total: 2 }, 2]);
    assert.equal(apply(available, [{ type: 'missed', since: 3 }, 4]).reason.cause, 'missed');
    assert.equal(apply(available, [{ type: 'declined', since: 3 }, 4]).status, 'busy');
    const strict = reducePresence(available, { type: 'declined', since: 3 }, 4, { ...rules, declineSetsAway: true });
    assert.equal(strict.reason.cause, 'declined');
    const reset = apply(strict, [{ type: 'reset', source: 'agent', actor: 'ana' }, 5]);
    assert.equal(reset.status, 'busy');
    assert.equal(reset.reason.cause, 'reset');
  });

  it('P11: every change carries source, cause, actor and time, and bumps the version', () => {
    const states = [fresh()];
    const events: PresenceEvent[] = [agentSets('available'), { type: 'maintenance' }, { type: 'logout', actor: 'ana' }];
    events.forEach((event, index) => states.push(reducePresence(states.at(-1)!, event, 100 + index, rules)));
    assert.deepEqual(
      states.slice(1).map((state) => [state.reason.source, state.reason.cause, state.reason.actor, state.reason.at, state.version]),
      [
        ['agent', 'manual', 'ana', 100, 1],
        ['system', 'maintenance', 'system', 101, 2],
        ['agent', 'manual', 'ana', 102, 3],
      ],
    );
  });

  it('M2: what a planned window\'s Offline replaced comes back when it is over; not when the agent chose something meanwhile', () => {
    const northOnly = apply(fresh(), [agentSets('available'), 1], [agentSets('away', 'south'), 2]);
    const held = apply(northOnly, [{ type: 'maintenance' }, 10]);
    assert.deepEqual([held.status, held.reason.cause], ['offline', 'maintenance']);
    const back = apply(held, [{ type: 'maintenance-over' }, 20]);
    assert.deepEqual([back.status, back.intent, back.offices, back.reason.source, back.reason.cause], ['available', 'available', { north: 'available', south: 'away' }, 'system', 'maintenance']);
    assert.equal(back.beforeMaintenance, undefined);
    // A custom status comes back too.
    assert.equal(apply(fresh(), [agentSets('lunch'), 1], [{ type: 'maintenance' }, 2], [{ type: 'maintenance-over' }, 3]).custom, 'lunch');
    // The agent chose Away during the window: it stays.
    const chose = apply(held, [agentSets('away'), 15], [{ type: 'maintenance-over' }, 20]);
    assert.deepEqual([chose.status, chose.reason.cause, chose.beforeMaintenance], ['away', 'manual', undefined]);
    // Offline before the window: nothing to give back.
    const offline = apply(fresh(), [{ type: 'maintenance' }, 10], [{ type: 'maintenance-over' }, 20]);
    assert.deepEqual([offline.status, offline.reason.cause], ['offline', 'default']);
  });
});
