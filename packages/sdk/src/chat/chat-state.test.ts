import { expect } from '@open-wc/testing';
import { distinctUntilChanged, map, scan } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { SessionEvent } from '@parley/protocol';
import type { TranscriptRow } from '../storage/chat-store.js';
import { INITIAL_CHAT_STATE, reduceChat, type ChatEvent } from './chat-state.js';

const scheduler = () =>
  new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

const row = (seq: number, event: SessionEvent): TranscriptRow => ({ sessionId: 's1', seq, at: seq, event });
const waiting = row(1, { kind: 'state', state: 'waiting', reason: 'started' });
const joined = row(2, { kind: 'agent-joined', agent: { id: 'ana', name: 'Ana' } });
const active = row(3, { kind: 'state', state: 'active', reason: 'agent-accepted' });
const reply = row(4, { kind: 'message', from: 'agent', author: 'Ana', text: 'Hello', cmid: 'r1', agentId: 'ana' });
const transcript = (...rows: TranscriptRow[]): ChatEvent => ({ type: 'transcript', rows, added: rows.slice(-1) });
const states = (events: ChatEvent[]) => events.reduce(reduceChat, INITIAL_CHAT_STATE);

describe('chat view reducer (marbles)', () => {
  it('C4: the queue position shows while Waiting and ends when an agent joins; the agent typing ends with their message', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const events = cold<ChatEvent>('s w q t a r', {
        s: { type: 'session', sessionId: 's1' },
        w: transcript(waiting),
        q: { type: 'queue', position: 3 },
        t: { type: 'typing', on: true },
        a: transcript(waiting, joined, active),
        r: transcript(waiting, joined, active, reply),
      });
      const snapshots = events.pipe(scan(reduceChat, INITIAL_CHAT_STATE), map((state) => state.snapshot));
      const session = snapshots.pipe(map((snapshot) => snapshot.session), distinctUntilChanged());
      expectObservable(session).toBe('s w q - a', {
        s: { state: 'none' },
        w: { state: 'waiting', position: undefined },
        q: { state: 'waiting', position: 3 },
        a: { state: 'active', agent: { id: 'ana', name: 'Ana' } },
      });
      expectObservable(snapshots.pipe(map((snapshot) => snapshot.typing), distinctUntilChanged())).toBe('f - - t - f', { f: false, t: true });
    });
  });

  it('keeps every part it did not change as the same object, so a view compares by reference', () => {
    const before = states([{ type: 'session', sessionId: 's1' }, transcript(waiting, joined, active)]);
    const after = reduceChat(before, { type: 'connection', state: { status: 'open' }, at: 0 });
    expect(after.snapshot.session).to.equal(before.snapshot.session);
    expect(after.snapshot.messages).to.equal(before.snapshot.messages);
    const again = reduceChat(after, transcript(waiting, joined, active));
    expect(again.snapshot.session, 'a transcript event that changes nothing shown').to.equal(after.snapshot.session);
  });

  it('M1: reconnecting while a planned window is under way reads as maintenance until its end, and only then', () => {
    const window = { id: 'w', startsAt: 1000, endsAt: 5000, message: 'Upgrade' };
    const reconnecting = { status: 'reconnecting', reason: 'maintenance', attempt: 0, nextInMs: 10 } as const;
    const base = states([{ type: 'availability', availability: { button: 'sales', online: false, reason: 'maintenance', window, stale: false }, at: 0 }]);
    expect(reduceChat(base, { type: 'connection', state: reconnecting, at: 999 }).snapshot.connection).to.equal(reconnecting);
    expect(reduceChat(base, { type: 'connection', state: reconnecting, at: 1000 }).snapshot.connection).to.deep.equal({ status: 'maintenance', until: 5000 });
    expect(reduceChat(base, { type: 'connection', state: reconnecting, at: 5000 }).snapshot.connection).to.equal(reconnecting);
  });

  it('C6: messages in the outbox follow the transcript, with their status, until the transcript carries them', () => {
    const outbox: ChatEvent = {
      type: 'outbox',
      outbox: { entries: [{ cmid: 'c1', sessionId: 's1', text: 'Hi', createdAt: 9 }], statuses: new Map([['c1', { status: 'sending' }]]) },
    };
    const sending = states([{ type: 'session', sessionId: 's1' }, transcript(waiting), outbox]);
    expect(sending.snapshot.messages.map((message) => [message.id, message.status])).to.deep.equal([['c1', 'sending']]);
    const stored = reduceChat(sending, transcript(waiting, row(2, { kind: 'message', from: 'customer', author: 'Dana', text: 'Hi', cmid: 'c1' })));
    expect(stored.snapshot.messages.map((message) => [message.id, message.status])).to.deep.equal([['c1', 'sent']]);
  });
});
