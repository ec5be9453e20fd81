import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { CLOSE } from '@parley/protocol';
import { RECONNECT_DEFAULTS } from '@parley/sdk';
import { WebSocket } from 'ws';
import { openChat } from '../test-support/chat-setup.js';
import { TestClient } from '../test-support/test-client.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

describe('a socket being drained', () => {
  let service: TestService;
  afterEach(() => service.close());

  it('M3: runs none of the frames still queued on it: its client will not hear the answers and sends them again after the reconnect', async () => {
    service = await startTestService();
    const { customer, sessionId, resumeToken } = await openChat(service);
    const { chat } = service.server.service;

    // The first frame is held inside the service while the drain starts; `end` waits behind it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const customerMessage = chat.customerMessage.bind(chat);
    chat.customerMessage = async (...args) => {
      entered();
      await held;
      return customerMessage(...args);
    };
    customer.send({ type: 'message', ref: 'm1', cmid: 'in-flight', text: 'sent as the drain began' });
    customer.send({ type: 'end', ref: 'e1' });
    await inside;
    const drained = service.server.drain();
    release();
    assert.equal((await customer.closed).code, CLOSE.serviceRestart);
    await drained;
    chat.customerMessage = customerMessage;
    service.server.sockets.reopen();

    const back = await TestClient.connect(service.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales', resumeToken, lastSeq: 0 });
    try {
      const welcome = back.frames.find((frame) => frame.type === 'welcome')!;
      assert.equal(welcome.state, 'active');
      // The frame already running when the drain began finished once; its re-send gets the same seq.
      const stored = back.events(sessionId).filter((frame) => frame.event.kind === 'message');
      assert.equal(stored.length, 1);
      assert.equal((await back.request({ type: 'message', cmid: 'in-flight', text: 'sent as the drain began' })).seq, stored[0]!.seq);
    } finally {
      back.socket.terminate();
    }
  });

  it('M3: a draining node refuses new sockets with 503 and Retry-After: 1, and docs/protocol.md gives the rule for refused reconnects with the numbers the SDK uses', async () => {
    service = await startTestService();
    await service.server.drain();
    const refused = await new Promise<IncomingMessage>((resolve, reject) => {
      const socket = new WebSocket(service.wsUrl);
      socket.on('unexpected-response', (_request, response) => resolve(response));
      socket.on('open', () => reject(new Error('a draining node took a socket')));
      socket.on('error', () => {});
    });
    assert.deepEqual([refused.statusCode, refused.headers['retry-after']], [503, '1']);

    const protocol = await readFile(new URL('../../../../docs/protocol.md', import.meta.url), 'utf8');
    const rule = protocol.slice(protocol.indexOf('**Refused reconnects after a drain.**')).split('\n\n')[0]!.replace(/\s+/g, ' ');
    for (const statement of [
      'refuses new sockets with HTTP 503 and `Retry-After: 1`',
      `For ${RECONNECT_DEFAULTS.drainRetryForMs / 1000} s after a drain (a \`reconnect\` frame, or close ${CLOSE.goingAway} or ${CLOSE.serviceRestart})`,
      `tries again after another \`random(0, windowMs)\` (the drain's window, ${RECONNECT_DEFAULTS.drainWindowMs} ms if it gave none), not with the backoff above`,
      'an unanswered `start` again with its `startId`',
    ]) {
      assert.ok(rule.includes(statement), statement);
    }
  });
});
