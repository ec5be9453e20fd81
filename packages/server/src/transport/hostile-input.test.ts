import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '@parley/protocol';
import { signToken } from '../auth/tokens.js';
import { openChat, type OpenChat } from '../test-support/chat-setup.js';
import { TestClient } from '../test-support/test-client.js';
import { ADMIN_TOKEN, SECRET, startTestService, type TestService } from '../test-support/test-server.js';

/** What the store holds that no hostile input may change. */
async function snapshot(service: TestService) {
  const { store } = service.server.service.context;
  return {
    sessions: await store.countSessionsByState(),
    messages: await store.countMessages(),
    presence: service.server.service.presence.all().map((state) => state.version),
    windows: await store.windows(),
    work: await store.allWork(),
  };
}

describe('hostile input', () => {
  let service: TestService;
  let chat: OpenChat;
  let otherSession: string;

  before(async () => {
    // Generous rate limits so each frame meets its own validation, not the limiter.
    service = await startTestService({ limits: { framesPerSecond: 1000, frameBurst: 10_000, addressFramesPerSecond: 1000, addressFrameBurst: 10_000 } });
    chat = await openChat(service);
    const other = await openChat(service, { agentId: 'ben', browserId: 'browser-other' });
    otherSession = other.sessionId;
    await chat.customer.request({ type: 'message', cmid: 'before', text: 'before the attack' });
  });
  after(() => service.close());

  it('answers 1,000+ malformed and hostile frames and requests with errors, changes nothing, and still serves a normal chat', async () => {
    const before = await snapshot(service);
    let answered = 0;
    let sent = 0;

    // 1. Socket frames on an established customer socket: each gets an error frame.
    const longText = 'x'.repeat(LIMITS.textLength + 1);
    const customerFrames: unknown[] = [
      '{not json', '[]', '42', 'null', '"hello"', '{}',
      { type: 'nope' }, { type: 'message' }, { type: 'message', cmid: 'c', text: 5 }, { type: 'message', cmid: 'bad id!', text: 'x' },
      { type: 'message', cmid: 'c', text: longText }, { type: 'message', cmid: 'c', text: '   ' }, { type: 'message', cmid: 'c', text: 'x', extra: 1 },
      { type: 'typing', on: 'yes' }, { type: 'start', prechat: { 'bad key!': 'x' } }, { type: 'start', prechat: { a: 'x'.repeat(501) } },
      { type: 'reply', sessionId: otherSession, cmid: 'steal', text: 'hijack' }, { type: 'accept', offerId: 'x' }, { type: 'end-session', sessionId: otherSession },
      { type: 'hello', v: 1, role: 'agent', browserId: 'b' }, `{"type":"message","cmid":"c","text":"${'y'.repeat(LIMITS.frameBytes)}"}`,
      '{"type":"message","cmid":"c","text":"x","__proto__":{"polluted":true}}', { type: 'message', cmid: 'c'.repeat(65), text: 'x' },
    ];
    const customerErrors = () => chat.customer.frames.filter((frame) => frame.type === 'error').length;
    const customerErrorsBefore = customerErrors();
    for (let round = 0; round < 20; round++) {
      for (const frame of customerFrames) {
        chat.customer.send(frame);
        sent++;
      }
    }
    const customerSent = sent;
    // Frames are answered in order: once the last one's error is in, all are.
    while (customerErrors() - customerErrorsBefore < customerSent) await chat.customer.next((frame) => frame.type === 'error');
    answered += customerErrors() - customerErrorsBefore;

    // 2. Agent frames: another agent's session, unknown offers, bad statuses and offices.
    const agentFrames: Array<Record<string, unknown>> = [
      { type: 'reply', sessionId: otherSession, cmid: 'a', text: 'not mine' },
      { type: 'end-session', sessionId: otherSession },
      { type: 'close-work', sessionId: otherSession },
      { type: 'agent-typing', sessionId: otherSession, on: true },
      { type: 'accept', offerId: 'no-such-offer' },
      { type: 'decline', offerId: 'no-such-offer' },
      { type: 'presence', status: 'dancing' },
      { type: 'presence', status: 'available', office: 'mars' },
      { type: 'initiate', sessionId: otherSession, cmid: 'i', text: 'hello stranger' },
      { type: 'message', cmid: 'c', text: 'customer frame from an agent' },
      { type: 'activity', at: -5 },
    ];
    for (let round = 0; round < 20; round++) {
      for (const frame of agentFrames) {
        const answer = await chat.agent.request(frame);
        sent++;
        if (answer.type === 'error') answered++;
        else assert.fail(`accepted ${JSON.stringify(frame)}`);
      }
    }

    // 3. Handshakes: no hello, bad hellos, forged, expired and wrong-role tokens, another browser's resume token.
    const forged = `${chat.resumeToken.split('.')[0]}.AAAA`;
    const now = service.clock.now();
    const expiredAgent = await signToken({ kind: 'agent', sub: 'ana' }, SECRET, { now: 0, ttlMs: 1000 });
    const wrongRole = await signToken({ kind: 'resume', sub: chat.sessionId, browserId: 'browser-1' }, SECRET, { now, ttlMs: 3600_000 });
    const otherSecret = await signToken({ kind: 'agent', sub: 'ana' }, 'another-secret-another-secret-another', { now, ttlMs: 3600_000 });
    const hellos: unknown[] = [
      { type: 'message', cmid: 'c', text: 'no hello' },
      { type: 'hello', v: 2, role: 'customer', browserId: 'b' },
      { type: 'hello', v: 1, role: 'admin', browserId: 'b' },
      { type: 'hello', v: 1, role: 'customer' },
      { type: 'hello', v: 1, role: 'customer', browserId: 'b'.repeat(100) },
      { type: 'hello', v: 1, role: 'customer', browserId: 'b', resumeToken: forged },
      { type: 'hello', v: 1, role: 'customer', browserId: 'intruder', resumeToken: chat.resumeToken },
      { type: 'hello', v: 1, role: 'customer', browserId: 'b', resumeToken: 'garbage' },
      { type: 'hello', v: 1, role: 'agent', browserId: 'b' },
      { type: 'hello', v: 1, role: 'agent', browserId: 'b', token: expiredAgent },
      { type: 'hello', v: 1, role: 'agent', browserId: 'b', token: wrongRole },
      { type: 'hello', v: 1, role: 'agent', browserId: 'b', token: otherSecret },
      'not json at all',
    ];
    for (let round = 0; round < 8; round++) {
      for (const hello of hellos) {
        const client = await TestClient.connect(service.wsUrl);
        client.send(hello);
        sent++;
        const error = await client.next((frame) => frame.type === 'error');
        const { code } = await client.closed;
        assert.ok(error.code, JSON.stringify(hello));
        assert.ok(code >= 4400 && code <= 4499, `${JSON.stringify(hello)} closed with ${code}`);
        answered++;
      }
    }
    const badOrigin = await TestClient.connect(service.wsUrl, undefined, { origin: 'https://evil.example' });
    badOrigin.send({ type: 'hello', v: 1, role: 'customer', browserId: 'b', button: 'sales' });
    sent++;
    assert.equal((await badOrigin.next((frame) => frame.type === 'error')).code, 'forbidden');
    answered++;

    // 4. HTTP: bad bodies, missing and wrong tokens, oversized bodies, wrong methods, unknown routes.
    const url = service.server.url;
    const requests: Array<[string, string, RequestInit]> = [
      ['POST', '/v1/offline-messages', { body: '{oops' }],
      ['POST', '/v1/offline-messages', { body: JSON.stringify({ button: 'sales' }) }],
      ['POST', '/v1/offline-messages', { body: JSON.stringify({ button: 'sales', name: 'a', email: 'not-an-email', text: 'x' }) }],
      ['POST', '/v1/offline-messages', { body: JSON.stringify({ button: 'nowhere', name: 'a', email: 'a@b.co', text: 'x' }) }],
      ['POST', '/v1/offline-messages', { body: JSON.stringify({ button: 'sales', name: 'a', email: 'a@b.co', text: 'x', admin: true }) }],
      ['POST', '/v1/offline-messages', { body: 'x'.repeat(70 * 1024) }],
      ['GET', '/v1/availability?button=nowhere', {}],
      ['GET', '/v1/transcript', {}],
      ['GET', '/v1/transcript', { headers: { authorization: `Bearer ${forged}` } }],
      ['GET', '/v1/transcript', { headers: { authorization: `Bearer ${expiredAgent}` } }],
      ['PUT', '/v1/availability', {}],
      ['PUT', '/admin/read-only', { body: JSON.stringify({ on: true }) }],
      ['PUT', '/admin/read-only', { body: JSON.stringify({ on: true }), headers: { authorization: 'Bearer wrong-token-wrong-token' } }],
      ['PUT', '/admin/read-only', { body: JSON.stringify({ on: 'yes' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['POST', '/admin/maintenance-windows', { body: JSON.stringify({ startsAt: 10, endsAt: 5, message: '' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['POST', '/admin/maintenance-windows', { body: JSON.stringify({ startsAt: 'soon' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['DELETE', '/admin/maintenance-windows/nope', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['POST', '/admin/stuck-work/release', { body: JSON.stringify({ sessionId: chat.sessionId, agentId: 'ana' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['POST', '/admin/agent-tokens', { body: JSON.stringify({ agentId: 'mallory' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['POST', '/admin/notifications', { body: JSON.stringify({ sessionId: 'nope', text: 'x' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['GET', '/admin/presence-report?from=9&to=1', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['POST', '/test/clock', { body: JSON.stringify({ advanceMs: 1 }), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }],
      ['GET', '/nowhere', {}],
    ];
    for (let round = 0; round < 20; round++) {
      for (const [method, path, init] of requests) {
        const response = await fetch(`${url}${path}`, { method, ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
        sent++;
        assert.ok(response.status >= 400 && response.status < 500, `${method} ${path} answered ${response.status}`);
        const body = (await response.json()) as { error?: { code?: string } };
        assert.ok(body.error?.code, `${method} ${path} has no error code`);
        answered++;
      }
    }

    assert.ok(sent >= 1000, `sent ${sent}`);
    assert.equal(answered, sent);
    assert.deepEqual(await snapshot(service), before);

    // And the service still serves a normal chat.
    const ack = await chat.customer.request({ type: 'message', cmid: 'after', text: 'after the attack' });
    assert.equal(ack.type, 'ack');
    await chat.agent.next((frame) => frame.type === 'event' && frame.seq === ack.seq);
    const newcomer = await service.customer('browser-new');
    const started = await newcomer.request({ type: 'start' });
    assert.equal(started.type, 'result');
  });

  it('refuses messages that show nothing (zero-width, Hangul filler, Braille blank, format and control characters) from customers, agents and offline messages, storing none', async () => {
    const invisible = [
      '\u200B', '\u200B\u200C\u200D\u2060\uFEFF', '\u3164', '\u115F\u1160', '\uFFA0', '\u2800\u2800', '\u00AD', '\u200E\u200F\u202E',
      '\u034F', '\uFE0F', '\u{E0041}\u{E0042}', ' \u3000\u2800 \n', '\u0001\u0002', '\u180E', '\u2066\u2069',
    ];
    const messagesBefore = await service.server.service.context.store.countMessages();
    for (const text of invisible) {
      const fromCustomer = await chat.customer.request({ type: 'message', cmid: `blank-${invisible.indexOf(text)}`, text });
      assert.deepEqual([fromCustomer.type, fromCustomer.code], ['error', 'bad_frame'], JSON.stringify(text));
      const fromAgent = await chat.agent.request({ type: 'reply', sessionId: chat.sessionId, cmid: `blank-a-${invisible.indexOf(text)}`, text });
      assert.deepEqual([fromAgent.type, fromAgent.code], ['error', 'bad_frame'], JSON.stringify(text));
      const offline = await fetch(`${service.server.url}/v1/offline-messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ button: 'sales', name: 'Ann', email: 'ann@example.com', text }),
      });
      assert.equal(offline.status, 400, JSON.stringify(text));
    }
    assert.equal(await service.server.service.context.store.countMessages(), messagesBefore);
    // Visible text made with joiners and marks is a message.
    const emoji = await chat.customer.request({ type: 'message', cmid: 'visible-emoji', text: '\u{1F469}\u200D\u{1F4BB}' });
    assert.equal(emoji.type, 'ack');
  });

  it('limits the rate of frames per connection and drops the excess with rate_limited', async () => {
    const limited = await startTestService({ limits: { framesPerSecond: 1, frameBurst: 5 } });
    try {
      const customer = await limited.customer('browser-r');
      for (let index = 0; index < 20; index++) customer.send({ type: 'typing', on: true });
      const limitedFrame = await customer.next((frame) => frame.type === 'error' && frame.code === 'rate_limited');
      assert.ok(limitedFrame);
    } finally {
      await limited.close();
    }
  });
});
