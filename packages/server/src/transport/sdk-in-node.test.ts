import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createChatClient, type WebSocketConstructor } from '@parley/sdk';
import { filter, firstValueFrom, type Observable } from 'rxjs';
import { WebSocket } from 'ws';
import { startTestService, type TestService } from '../test-support/test-server.js';

const until = <T>(source$: Observable<T>, predicate: (value: T) => boolean) => firstValueFrom(source$.pipe(filter(predicate)));

describe('the SDK in Node', () => {
  let service: TestService;
  afterEach(() => service.close());

  it('chats with an injected ws WebSocket, in memory, with no tab coordination', async () => {
    service = await startTestService();
    const agent = await service.agent('ana');
    await agent.request({ type: 'presence', status: 'available' });
    const chat = createChatClient({ endpoint: service.server.url, button: 'sales', WebSocket: WebSocket as unknown as WebSocketConstructor });
    try {
      assert.equal(await firstValueFrom(chat.leader$.pipe(filter(Boolean))), true);
      await until(chat.connection$, (state) => state.status === 'open');
      const sessionId = await chat.start({ name: 'Node' });
      const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
      await agent.request({ type: 'accept', offerId: offer.offerId });
      await chat.send('hello from Node');
      const messages = await until(chat.messages$, (list) => list.some((message) => message.text === 'hello from Node' && message.status === 'sent'));
      assert.equal(messages.filter((message) => message.from === 'customer').length, 1);
    } finally {
      chat.close();
    }
  });

  it('M3: a client too busy to say hello in time is told to come back later (1013), not closed for good, and then connects', async () => {
    service = await startTestService({ helloTimeoutMs: 200 });
    // The first socket's hello never leaves, as when a page's main thread is blocked past the timeout.
    let sockets = 0;
    class BusyFirst extends WebSocket {
      readonly #first = ++sockets === 1;
      override send(data: string): void {
        if (!this.#first) super.send(data);
      }
    }
    const closes: number[] = [];
    const chat = createChatClient({ endpoint: service.server.url, button: 'sales', WebSocket: BusyFirst as unknown as WebSocketConstructor });
    const watching = chat.connection$.subscribe((state) => {
      if (state.status === 'reconnecting') closes.push(sockets);
    });
    try {
      const settled = await until(chat.connection$, (state) => state.status === 'open' || state.status === 'closed');
      assert.deepEqual(settled, { status: 'open' });
      assert.equal(sockets, 2);
      assert.deepEqual(closes.slice(0, 1), [1]);
    } finally {
      watching.unsubscribe();
      chat.close();
    }
  });

  it('never crashes the process when closed while still connecting: the error ws raises then has a listener', async () => {
    service = await startTestService();
    // ws raises 'error' on a socket closed before its handshake; an EventEmitter with no 'error'
    // listener throws it, which ends a Node process. Record each one and whether it was listened to.
    const raised: Array<{ message: string; listeners: number }> = [];
    let errorRaised!: () => void;
    const firstError = new Promise<void>((resolve) => (errorRaised = resolve));
    class RecordingWebSocket extends WebSocket {
      override emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'error') {
          raised.push({ message: (args[0] as Error).message, listeners: this.listenerCount('error') });
          errorRaised();
        }
        return super.emit(event, ...args);
      }
    }
    // A server that takes the TCP connection and never answers the WebSocket handshake.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const connected = once(silent, 'connection');
    const chat = createChatClient({ endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, button: 'sales', WebSocket: RecordingWebSocket as unknown as WebSocketConstructor });
    const [pending] = (await connected) as [Socket];
    chat.close();
    await firstError;
    pending.destroy();
    silent.close();
    assert.equal(raised.length, 1);
    assert.match(raised[0]!.message, /closed before the connection was established/);
    assert.ok(raised[0]!.listeners > 0, 'the SDK listens for the error it causes by closing');
  });
});
