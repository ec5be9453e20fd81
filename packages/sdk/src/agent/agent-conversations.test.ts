import { expect } from '@open-wc/testing';
import { asyncScheduler, EMPTY, filter, firstValueFrom } from 'rxjs';
import type { ChatStore } from '../storage/chat-store.js';
import { createMemoryChatStore } from '../storage/memory-chat-store.js';
import { FakeWebSocket } from '../test-support/fake-web-socket.js';
import { AgentEngine } from './agent-engine.js';
import type { AgentMessage } from './agent-lines.js';

const customer = (seq: number, text: string) => ({ type: 'event', sessionId: 's1', seq, at: seq, event: { kind: 'message', from: 'customer', author: 'Dana', text } });
const agent = (seq: number, text: string, cmid: string) => ({ type: 'event', sessionId: 's1', seq, at: seq, event: { kind: 'message', from: 'agent', author: 'Ana', text, cmid, agentId: 'ana' } });

/** An engine on a store that outlives it (a reload, or the next leader tab), with sockets the test drives. */
let ids = 0;

async function engineOn(store: ChatStore) {
  const engine = new AgentEngine({
    endpoint: 'http://service.test',
    token: 't',
    agentId: 'ana',
    store,
    WebSocket: FakeWebSocket,
    scheduler: asyncScheduler,
    // Reconnects come at once: the test is about what is sent, not when.
    random: () => 0,
    wake$: EMPTY,
    offline$: EMPTY,
    newId: () => `id-${ids++}`,
    now: () => 0,
    disconnectGraceMs: 120_000,
    activityEveryMs: 30_000,
    retryQueuedMs: 5_000,
  });
  await engine.start();
  return engine;
}

/** The next socket the engine opens, opened and welcomed. */
function nextSocket(): Promise<FakeWebSocket> {
  return new Promise((resolve) => {
    FakeWebSocket.onCreate = (socket) => {
      FakeWebSocket.onCreate = () => {};
      queueMicrotask(() => {
        socket.open();
        socket.receive({ type: 'welcome', v: 1, role: 'agent', epoch: 'e1', heartbeatMs: 25_000, lastSeq: 0, replay: 'none' });
        resolve(socket);
      });
    };
  });
}

/** A started engine on a fresh store, its first socket welcomed. */
async function connected() {
  const store = createMemoryChatStore();
  const opened = nextSocket();
  const engine = await engineOn(store);
  return { store, engine, socket: await opened };
}

const lines = (engine: AgentEngine, match: (lines: AgentMessage[]) => boolean) =>
  firstValueFrom(engine.snapshot$.pipe(filter((snapshot) => match(snapshot.conversations.s1 ?? [])))).then((snapshot) => snapshot.conversations.s1!);
const sentFrames = (socket: FakeWebSocket, type: string) => socket.sent.filter((frame) => frame.type === type);

describe('agent conversations: replies exactly once, events in order', () => {
  beforeEach(() => FakeWebSocket.reset(() => 0));

  it('M3, C6: a reply is stored with its cmid before the first send, sent again after the drain, and leaves the store only when acknowledged (queued → sending → sent)', async () => {
    const { store, engine, socket: first } = await connected();
    first.serverClose(1012, 'draining');

    // Written while the service is away: stored, shown queued, nothing sent.
    const cmid = await engine.conversations.reply('s1', 'It left this morning.');
    expect((await store.pending()).map((entry) => [entry.cmid, entry.text])).to.deep.equal([[cmid, 'It left this morning.']]);
    expect((await lines(engine, (all) => all.length === 1))[0]).to.include({ id: cmid, status: 'queued', from: 'agent' });
    expect(sentFrames(first, 'reply')).to.deep.equal([]);

    // Back: the reply goes, and the line says sending.
    const again = nextSocket();
    const second = await again;
    await lines(engine, (all) => all[0]?.status === 'sending');
    expect(sentFrames(second, 'reply')).to.deep.equal([{ type: 'reply', ref: cmid, sessionId: 's1', cmid, text: 'It left this morning.' }]);

    // The drain ate the ack: after the next reconnect the same cmid goes again (the service deduplicates it).
    const third = nextSocket();
    second.serverClose(1012, 'draining');
    const resent = await third;
    await lines(engine, (all) => all[0]?.status === 'sending');
    expect(sentFrames(resent, 'reply').map((frame) => frame.cmid)).to.deep.equal([cmid]);
    expect(await store.pending()).to.have.length(1);

    resent.receive({ type: 'ack', ref: cmid, cmid, seq: 1 });
    resent.receive(agent(1, 'It left this morning.', cmid));
    const sent = await lines(engine, (all) => all[0]?.status === 'sent');
    expect(sent.map((line) => [line.id, line.seq, line.status])).to.deep.equal([[cmid, 1, 'sent']]);
    expect(await store.pending()).to.deep.equal([]);
    engine.stop();
  });

  it('S4: a reply to an ended or Inactive session fails with the typed code and keeps its text; retry sends it again', async () => {
    const { store, engine, socket } = await connected();
    const cmid = await engine.conversations.reply('s1', 'Are you still there?');
    socket.receive({ type: 'error', ref: cmid, code: 'session_ended', message: 'This session has ended.' });
    const [failed] = await lines(engine, (all) => all[0]?.status === 'failed');
    expect(failed).to.include({ id: cmid, text: 'Are you still there?', status: 'failed', code: 'session_ended', error: 'This session has ended.' });
    expect((await store.pending()).map((entry) => entry.text)).to.deep.equal(['Are you still there?']);

    await engine.conversations.outbox.retry(cmid);
    expect(sentFrames(socket, 'reply').map((frame) => frame.cmid)).to.deep.equal([cmid, cmid]);
    engine.stop();
  });

  it('M3, P6: events are applied in seq order (early ones held, seen ones dropped); a reload or the next leader resumes from the stored cursors, with the same browser id', async () => {
    const { store, engine, socket } = await connected();
    socket.receive(customer(2, 'second'));
    socket.receive(customer(1, 'first'));
    socket.receive(customer(1, 'first'));
    socket.receive(customer(3, 'third'));
    const applied = await lines(engine, (all) => all.length === 3);
    expect(applied.map((line) => [line.seq, line.text])).to.deep.equal([[1, 'first'], [2, 'second'], [3, 'third']]);
    expect(await store.lastSeq('s1')).to.equal(3);
    const hello = socket.sent.find((frame) => frame.type === 'hello')!;
    engine.stop();

    // The next engine on the same store: a reload, or another tab taking over.
    const reopened = nextSocket();
    const next = await engineOn(store);
    const resumed = await reopened;
    const again = resumed.sent.find((frame) => frame.type === 'hello')!;
    expect(again.cursors).to.deep.equal({ s1: 3 });
    expect(again.browserId).to.be.a('string').and.equal(hello.browserId);
    expect((await lines(next, (all) => all.length === 3)).map((line) => line.text)).to.deep.equal(['first', 'second', 'third']);
    resumed.receive(customer(3, 'third'));
    resumed.receive(customer(4, 'fourth'));
    expect((await lines(next, (all) => all.length === 4)).map((line) => line.seq)).to.deep.equal([1, 2, 3, 4]);
    next.stop();
  });
});
