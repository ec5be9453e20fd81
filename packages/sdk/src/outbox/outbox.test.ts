import { expect } from '@open-wc/testing';
import { TestScheduler } from 'rxjs/testing';
import type { ClientFrame } from '@parley/protocol';
import { ParleyError } from '../errors/parley-error.js';
import { createMemoryChatStore } from '../storage/memory-chat-store.js';
import { Outbox, type OutboxState } from './outbox.js';

function outboxOn(scheduler = new TestScheduler(() => {}), connected = { value: true }, scope: { sessionId: string } | 'all' = { sessionId: 's1' }) {
  const store = createMemoryChatStore();
  const sent: ClientFrame[] = [];
  let ids = 0;
  const outbox = new Outbox({
    store,
    scope: () => scope,
    frame: (entry) => ({ type: 'message', ref: entry.cmid, cmid: entry.cmid, text: entry.text }),
    send: (frame) => connected.value && sent.push(frame) > 0,
    scheduler,
    newId: () => `m${++ids}`,
    now: () => ids,
    retryQueuedMs: 5_000,
  });
  return { outbox, store, sent, connected, scheduler };
}

const cmids = (frames: readonly ClientFrame[]) => frames.map((frame) => (frame as { cmid: string }).cmid);
const statuses = (state: OutboxState) => state.entries.map((entry) => `${entry.cmid}:${state.statuses.get(entry.cmid)?.status}`);

describe('outbox', () => {
  it('C6: refuses a blank or oversized message before storing anything', async () => {
    const { outbox, store } = outboxOn();
    for (const text of ['   ', 'x'.repeat(4001)]) {
      const error = await outbox.enqueue('s1', text).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(ParleyError);
      expect((error as ParleyError).code).to.equal('bad_text');
    }
    expect(await store.pending()).to.deep.equal([]);
  });

  it('C6: stores a message before its first send and keeps it until it is acknowledged', async () => {
    const { outbox, store, sent, connected } = outboxOn();
    connected.value = false;
    await outbox.enqueue('s1', 'offline');
    expect(statuses(outbox.state$.value)).to.deep.equal(['m1:queued']);
    expect((await store.pending('s1')).map((entry) => entry.text)).to.deep.equal(['offline']);
    connected.value = true;
    await outbox.flush();
    expect(sent).to.deep.equal([{ type: 'message', ref: 'm1', cmid: 'm1', text: 'offline' }]);
    expect(statuses(outbox.state$.value)).to.deep.equal(['m1:sending']);
    await outbox.acknowledged('m1');
    expect(outbox.state$.value.entries).to.deep.equal([]);
    expect(await store.pending('s1')).to.deep.equal([]);
  });

  it('C6: what was in flight when the connection dropped is sent again, once, after the reconnect', async () => {
    const { outbox, sent } = outboxOn();
    await outbox.enqueue('s1', 'in flight');
    await outbox.flush();
    expect(sent.length, 'in flight: not sent twice').to.equal(1);
    outbox.disconnected();
    expect(statuses(outbox.state$.value)).to.deep.equal(['m1:queued']);
    await outbox.flush();
    expect(sent.length).to.equal(2);
  });

  it('C4: a refusal that can pass later waits and is tried again; one that cannot is failed, keeps its text, and can be retried', async () => {
    const { outbox, sent, scheduler } = outboxOn();
    await outbox.enqueue('s1', 'read-only now');
    outbox.failed('m1', 'read_only', 'Try later.');
    expect(statuses(outbox.state$.value)).to.deep.equal(['m1:queued']);
    scheduler.flush();
    await outbox.flush();
    await outbox.acknowledged('m1');
    await outbox.enqueue('s1', 'to an ended chat');
    outbox.failed('m2', 'session_ended', 'This session has ended.');
    expect(statuses(outbox.state$.value)).to.deep.equal(['m2:failed']);
    expect(outbox.state$.value.statuses.get('m2')).to.deep.equal({ status: 'failed', code: 'session_ended', error: 'This session has ended.' });
    await outbox.retry('m2');
    expect(cmids(sent)).to.deep.equal(['m1', 'm1', 'm2', 'm2']);
  });

  it('C6, M6: one message of a chat at a time, in the order written: one the service refuses for now is stored before any written after it', async () => {
    const { outbox, sent, scheduler } = outboxOn();
    await outbox.enqueue('s1', 'first');
    await outbox.enqueue('s1', 'second');
    expect(cmids(sent), 'the second waits for the first to be stored').to.deep.equal(['m1']);
    // The database restarts: the first is refused for now; the second must not overtake it.
    outbox.failed('m1', 'read_only', 'Try later.');
    scheduler.flush();
    await outbox.flush();
    expect(cmids(sent), 'the first is tried again; the second still waits').to.deep.equal(['m1', 'm1']);
    await outbox.acknowledged('m1');
    expect(cmids(sent)).to.deep.equal(['m1', 'm1', 'm2']);
    expect(statuses(outbox.state$.value)).to.deep.equal(['m2:sending']);
  });

  it('M3: the acks of the messages sent again after a reconnect come in one burst and change the shown state once, not once per ack', async () => {
    // An agent's outbox: a reply waiting in each of 15 chats goes at once.
    const { outbox, sent } = outboxOn(undefined, undefined, 'all');
    for (let chat = 0; chat < 15; chat++) await outbox.enqueue(`s${chat}`, `written while away ${chat}`);
    expect(sent.length).to.equal(15);
    const shown: OutboxState[] = [];
    const watching = outbox.state$.subscribe((state) => shown.push(state));
    // As the frames of one read from the socket: every ack handed over before any is handled.
    await Promise.all(sent.map((frame) => outbox.acknowledged((frame as { cmid: string }).cmid)));
    watching.unsubscribe();
    expect(shown.map((state) => state.entries.length)).to.deep.equal([15, 0]);
  });
});
