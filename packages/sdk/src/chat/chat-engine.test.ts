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
});
