import { expect } from '@open-wc/testing';
import type { MaintenanceWindow, WaitingEntry } from '@parley/protocol';
import { INITIAL_AGENT_SNAPSHOT, reduceAgent, type AgentEvent, type AgentSnapshot } from './agent-state.js';

const window = (id: string, startsAt: number): MaintenanceWindow => ({ id, startsAt, endsAt: startsAt + 3_600_000, message: `window ${id}` });
const run = (...events: AgentEvent[]): AgentSnapshot => events.reduce(reduceAgent, INITIAL_AGENT_SNAPSHOT);

describe('the agent view', () => {
  it('M1: planned windows show from when they are scheduled, in start order, until cancelled or over; a new welcome starts the list afresh', () => {
    const open: AgentEvent = { type: 'connection', state: { status: 'open' } };
    const later = window('later', 2_000_000);
    const sooner = window('sooner', 1_000_000);
    const planned = run(open, { type: 'window', kind: 'maintenance-planned', window: later }, { type: 'window', kind: 'maintenance-planned', window: sooner });
    expect(planned.windows.map((item) => item.id)).to.deep.equal(['sooner', 'later']);
    const ended = reduceAgent(planned, { type: 'window', kind: 'maintenance-ended', window: sooner });
    expect(ended.windows.map((item) => item.id)).to.deep.equal(['later']);
    expect(reduceAgent(ended, { type: 'window', kind: 'maintenance-cancelled', window: later }).windows).to.deep.equal([]);
    // A window that ended while the agent was away is not re-announced on the next welcome: it goes.
    const dropped = reduceAgent(planned, { type: 'connection', state: { status: 'reconnecting', reason: 'network', attempt: 1, nextInMs: 1000 } });
    expect(dropped.windows.length).to.equal(2);
    expect(reduceAgent(dropped, open).windows).to.deep.equal([]);
  });

  it('Q1: the queue of the agent\'s offices replaces the last one heard', () => {
    const entry: WaitingEntry = { sessionId: 's1', button: 'sales', position: 1, since: 5, prechat: { name: 'Dana' }, offered: false };
    const first = run({ type: 'waiting', entries: [entry] });
    expect(first.waiting).to.deep.equal([entry]);
    expect(reduceAgent(first, { type: 'waiting', entries: [] }).waiting).to.deep.equal([]);
  });
});
