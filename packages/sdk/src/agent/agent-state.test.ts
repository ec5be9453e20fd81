import { expect } from '@open-wc/testing';
import type { MaintenanceWindow, WaitingEntry } from '@parley/protocol';
import type { OutboxState, OutboxStatus } from '../outbox/outbox.js';
import type { OutboxEntry, TranscriptRow } from '../storage/chat-store.js';
import type { AgentMessage } from './agent-lines.js';
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

  it('M3: an outbox change redoes only the chat it concerns, so a burst of acks after a reconnect does not go through every line of every chat', () => {
    const row = (sessionId: string, seq: number): TranscriptRow => ({ sessionId, seq, at: seq, event: { kind: 'message', from: 'customer', author: 'Dana', text: `m${seq}` } });
    const sending: OutboxStatus = { status: 'sending' };
    const outbox = (entries: OutboxEntry[]): OutboxState => ({ entries, statuses: new Map(entries.map((entry) => [entry.cmid, sending])) });
    // 20 chats of 100 stored lines, each with 5 replies on their way (written while disconnected).
    const replies = (sessionId: string): OutboxEntry[] => Array.from({ length: 5 }, (_, index) => ({ cmid: `${sessionId}-r${index}`, sessionId, text: `reply ${index}`, createdAt: index }));
    const others = Array.from({ length: 19 }, (_, chat) => replies(`s${chat + 1}`)).flat();
    const mine: OutboxEntry[] = Array.from({ length: 50 }, (_, index) => ({ cmid: `s0-r${index}`, sessionId: 's0', text: `reply ${index}`, createdAt: index }));
    let snapshot = INITIAL_AGENT_SNAPSHOT;
    for (let chat = 0; chat < 20; chat++) {
      const sessionId = `s${chat}`;
      snapshot = reduceAgent(snapshot, { type: 'transcript', sessionId, added: Array.from({ length: 100 }, (_, index) => row(sessionId, index + 1)), outbox: outbox([...mine, ...others]) });
    }
    // The other chats' lines, watched: an ack in s0 may look at their replies on their way, not go through their lines.
    let reads = 0;
    const watched = Object.fromEntries(
      Object.entries(snapshot.conversations).map(([sessionId, lines]) => [
        sessionId,
        sessionId === 's0' ? lines : new Proxy(lines, { get: (target, key, receiver) => (reads++, Reflect.get(target, key, receiver) as unknown) }),
      ]),
    ) as Record<string, AgentMessage[]>;
    snapshot = { ...snapshot, conversations: watched };
    // s0's replies acked one by one, as they come back after a reconnect.
    for (let acked = 1; acked <= mine.length; acked++) snapshot = reduceAgent(snapshot, { type: 'outbox', outbox: outbox([...mine.slice(acked), ...others]) });

    expect(reads).to.be.below(19 * mine.length * 20);
    expect(snapshot.conversations.s1).to.equal(watched.s1);
    expect(snapshot.conversations.s0!.length).to.equal(100);
    expect(watched.s1!.slice(100).map((line) => [line.id, line.status, line.seq])).to.deep.equal(replies('s1').map((entry) => [entry.cmid, 'sending', undefined]));
    const again = reduceAgent(snapshot, { type: 'outbox', outbox: outbox([...mine.slice(0, 2), ...others]) }).conversations.s0!;
    expect(again.slice(100).map((line) => [line.id, line.status, line.seq])).to.deep.equal([['s0-r0', 'sending', undefined], ['s0-r1', 'sending', undefined]]);
  });
});
