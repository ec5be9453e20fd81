import { expect } from '@open-wc/testing';
import { asyncScheduler, EMPTY, filter, firstValueFrom } from 'rxjs';
import { createMemoryChatStore } from '../storage/memory-chat-store.js';
import { FakeWebSocket } from '../test-support/fake-web-socket.js';
import { ChatEngine } from './chat-engine.js';

const message = (seq: number, text: string) => ({ sessionId: 's1', seq, at: seq, event: { kind: 'message', from: 'agent', author: 'Ana', text } });

async function engineWith(fetchImpl: typeof fetch) {
  const store = createMemoryChatStore();
  await store.writeRecord({ browserId: 'b1', sessionId: 's1', resumeToken: 'token-1', epoch: 'e1' });
  await store.append('s1', [message(1, 'kept'), message(2, 'lost by the service')], 2);
  let ids = 0;
  FakeWebSocket.reset(() => 0);
  const engine = new ChatEngine({
    endpoint: 'http://service.test',
    button: 'sales',
    store,
    WebSocket: FakeWebSocket,
    fetch: fetchImpl,
    scheduler: asyncScheduler,
    random: () => 0.5,
    wake$: EMPTY,
    newId: () => `id-${ids++}`,
    now: () => 0,
    availabilityGraceMs: 30_000,
    retryQueuedMs: 5_000,
  });
  return { engine, store };
}

describe('chat engine', () => {
  it('M3: when the service cannot replay, re-reads the transcript over HTTP with the resume token and replaces its own', async () => {
    const requests: Array<[string, RequestInit | undefined]> = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      requests.push([url, init]);
      if (url.endsWith('/v1/transcript')) return new Response(JSON.stringify({ sessionId: 's1', state: 'active', lastSeq: 1, events: [message(1, 'kept')] }));
      return new Response('{}', { status: 404 });
    }) as typeof fetch;
    const { engine, store } = await engineWith(fetchImpl);
    await engine.start();
    const socket = FakeWebSocket.opened[0]!;
    socket.open();
    expect(socket.sent[0]).to.include({ type: 'hello', resumeToken: 'token-1', lastSeq: 2 });
    socket.receive({ type: 'welcome', v: 1, role: 'customer', epoch: 'e1', heartbeatMs: 25_000, sessionId: 's1', lastSeq: 1, replay: 'transcript' });
    const snapshot = await firstValueFrom(engine.snapshot$.pipe(filter((value) => value.messages.length === 1)));
    expect(snapshot.messages.map((item) => item.text)).to.deep.equal(['kept']);
    expect(await store.lastSeq('s1')).to.equal(1);
    const [url, init] = requests.find(([candidate]) => candidate.endsWith('/v1/transcript'))!;
    expect(url).to.equal('http://service.test/v1/transcript');
    expect((init?.headers as Record<string, string>).authorization).to.equal('Bearer token-1');
    engine.stop();
  });

  it('M1: reconnecting while a planned window is under way shows as maintenance until its end', async () => {
    const fetchImpl = (async () => new Response('{}', { status: 404 })) as unknown as typeof fetch;
    const { engine } = await engineWith(fetchImpl);
    await engine.start();
    const socket = FakeWebSocket.opened[0]!;
    socket.open();
    socket.welcome();
    socket.receive({ type: 'availability', button: 'sales', online: false, reason: 'maintenance', window: { id: 'w', startsAt: -1, endsAt: 3_600_000, message: 'Upgrade' } });
    socket.receive({ type: 'reconnect', reason: 'maintenance', windowMs: 1000 });
    socket.serverClose(1012);
    const snapshot = await firstValueFrom(engine.snapshot$.pipe(filter((value) => value.connection.status === 'maintenance')));
    expect(snapshot.connection).to.deep.equal({ status: 'maintenance', until: 3_600_000 });
    engine.stop();
  });

  it('C4: a message keeps the same keys and author from the outbox to sent; availability has exactly its documented keys', async () => {
    const fetchImpl = (async () => new Response('{}', { status: 404 })) as unknown as typeof fetch;
    const { engine } = await engineWith(fetchImpl);
    await engine.start();
    const socket = FakeWebSocket.opened[0]!;
    socket.open();
    socket.welcome();
    socket.receive({ type: 'availability', button: 'sales', online: true, reason: 'agents' });
    const { availability } = await firstValueFrom(engine.snapshot$.pipe(filter((value) => value.availability !== undefined)));
    expect(availability).to.deep.equal({ button: 'sales', online: true, reason: 'agents', window: undefined, stale: false });
    expect(Object.keys(availability!).sort()).to.deep.equal(['button', 'online', 'reason', 'stale', 'window']);

    const started = engine.startChat({ name: 'Dana', order: 'A-1042' });
    // Event-loop turns, not a timer: the frame goes out once the pre-chat name is stored.
    for (let turn = 0; turn < 100 && !socket.sent.some((frame) => frame.type === 'start'); turn++) await new Promise((resolve) => setTimeout(resolve));
    const start = socket.sent.find((frame) => frame.type === 'start')!;
    socket.receive({ type: 'result', ref: start.ref, data: { sessionId: 's2', resumeToken: 'token-2' } });
    await started;
    const cmid = await engine.send('Where is my order?');
    const queued = engine.snapshot$.value.messages.find((item) => item.id === cmid)!;
    socket.receive({ type: 'ack', cmid, seq: 2 });
    socket.receive({ type: 'event', sessionId: 's2', seq: 1, at: 5, event: { kind: 'state', state: 'waiting', reason: 'started' } });
    socket.receive({ type: 'event', sessionId: 's2', seq: 2, at: 6, event: { kind: 'message', from: 'customer', author: 'Dana', text: 'Where is my order?', cmid } });
    const snapshot = await firstValueFrom(engine.snapshot$.pipe(filter((value) => value.messages.some((item) => item.id === cmid && item.status === 'sent'))));
    const sent = snapshot.messages.find((item) => item.id === cmid)!;
    expect(Object.keys(queued).sort()).to.deep.equal(Object.keys(sent).sort());
    expect(Object.keys(sent).sort()).to.deep.equal(['at', 'attachment', 'author', 'error', 'from', 'id', 'seq', 'status', 'text']);
    expect([queued.author, sent.author]).to.deep.equal(['Dana', 'Dana']);
    expect([queued.seq, sent.seq]).to.deep.equal([undefined, 2]);
    engine.stop();
  });
});
