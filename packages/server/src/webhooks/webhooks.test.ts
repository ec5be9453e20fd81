import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { openChat, reachedState } from '../test-support/chat-setup.js';
import { ADMIN_TOKEN, startTestService, type TestService } from '../test-support/test-server.js';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './webhook-receiver.js';

const HOUR = 3600_000;
const ALL_EVENTS = ['session.started', 'session.message', 'session.ended', 'offline-message.left', 'session.rated', 'presence.changed'];

interface LoggedDelivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  lastResponse: number | null;
  lastError: string | null;
}

/** What a receiver does (docs/server.md "Webhooks"): the HMAC of `${timestamp}.${body}`, compared in constant time. */
function verifies(request: ReceivedRequest, secret: string): boolean {
  const timestamp = String(request.headers['parley-timestamp']);
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(String(request.headers['parley-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhooks', () => {
  let service: TestService;
  let receiver: WebhookReceiver;
  afterEach(async () => {
    await service.close();
    await receiver.close();
  });

  const webhooks = () => service.server.service.webhooks;
  /** Runs what is due at the new time and waits for every attempt's outcome. */
  const advance = async (ms: number) => {
    await webhooks().settled();
    await service.advance(ms);
    await webhooks().settled();
  };
  const log = async (webhookId: string) => ((await service.admin('GET', `/admin/webhooks/${webhookId}/deliveries?limit=1000`)).body.deliveries as LoggedDelivery[]);

  it('D5: a receiver that fails (500), then recovers gets every event, signed; retries back off on the service clock; nothing after a 2xx', async () => {
    service = await startTestService();
    receiver = await startWebhookReceiver();
    receiver.status = 500;
    const created = await service.admin('POST', '/admin/webhooks', { url: receiver.url, events: ALL_EVENTS });
    assert.equal(created.status, 201);
    const { id: webhookId, secret } = created.body as { id: string; secret: string };
    assert.match(secret, /^whsec_[\w-]{43}$/);

    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c-1', text: 'Where is my order?' });
    await customer.request({ type: 'end' });
    await reachedState(agent, sessionId, 'ended');
    await customer.request({ type: 'rate', score: 5, comment: 'Thanks' });
    const left = await fetch(`${service.server.url}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button: 'sales', name: 'Olu', email: 'olu@example.com', text: 'Call me back' }),
    });
    assert.equal(left.status, 201);

    // First attempts: every one refused.
    await advance(0);
    const firstIds = new Set(receiver.requests.map((request) => String(request.headers['parley-delivery-id'])));
    const first = firstIds.size;
    assert.equal(receiver.requests.length, first);
    assert.ok(first >= ALL_EVENTS.length);
    assert.ok(receiver.requests.every((request) => request.answered === 500));
    let logged = await log(webhookId);
    assert.equal(logged.length, first);
    assert.ok(logged.every((delivery) => delivery.status === 'pending' && delivery.attempts === 1 && delivery.lastResponse === 500));

    // Deliveries queued from the first attempts on (say, presence changes later on) are left out of the counts.
    const attemptsOfFirst = () => receiver.requests.filter((request) => firstIds.has(String(request.headers['parley-delivery-id']))).length;
    // 30 s later the first retry, not a moment before; then 60 s.
    await advance(29_999);
    assert.equal(attemptsOfFirst(), first);
    await advance(1);
    assert.equal(attemptsOfFirst(), 2 * first);
    receiver.status = 200;
    await advance(59_999);
    assert.equal(attemptsOfFirst(), 2 * first);
    await advance(1);
    assert.equal(attemptsOfFirst(), 3 * first);
    // A day later: nothing delivered is sent again.
    for (let hour = 0; hour < 25; hour++) await advance(HOUR);
    assert.equal(attemptsOfFirst(), 3 * first);

    logged = await log(webhookId);
    assert.ok(logged.every((delivery) => delivery.status === 'delivered' && delivery.lastResponse === 200 && delivery.lastError === null));
    assert.ok(logged.filter((delivery) => firstIds.has(delivery.id)).every((delivery) => delivery.attempts === 3));
    const byId = new Map<string, ReceivedRequest[]>();
    for (const request of receiver.requests) {
      const id = String(request.headers['parley-delivery-id']);
      byId.set(id, [...(byId.get(id) ?? []), request]);
    }
    assert.deepEqual([...byId.keys()].sort(), logged.map((delivery) => delivery.id).sort());
    for (const [id, attempts] of byId) {
      // The same body (so the same id and payload) on every attempt; exactly one 2xx each, and it was the last.
      assert.equal(new Set(attempts.map((attempt) => attempt.body)).size, 1);
      assert.deepEqual(attempts.map((attempt) => attempt.answered), firstIds.has(id) ? [500, 500, 200] : [200]);
      assert.equal((JSON.parse(attempts[0]!.body) as { id: string }).id, id);
    }
    assert.ok(receiver.requests.every((request) => verifies(request, secret)));
    assert.ok(!verifies({ ...receiver.requests[0]!, body: `${receiver.requests[0]!.body} ` }, secret));

    const payloads = [...byId.values()].map((attempts) => JSON.parse(attempts[0]!.body) as { event: string; data: Record<string, unknown> });
    assert.deepEqual([...new Set(payloads.map((payload) => payload.event))].sort(), [...ALL_EVENTS].sort());
    const data = (event: string) => payloads.filter((payload) => payload.event === event).map((payload) => payload.data);
    assert.deepEqual(data('session.message').map((message) => [message.sessionId, message.from, message.text]), [[sessionId, 'customer', 'Where is my order?']]);
    assert.deepEqual(data('session.rated').map((rating) => [rating.sessionId, rating.score, rating.comment]), [[sessionId, 5, 'Thanks']]);
    assert.deepEqual(data('session.started').map((started) => started.sessionId), [sessionId]);
    assert.deepEqual(data('session.ended').map((ended) => ended.sessionId), [sessionId]);
    assert.deepEqual(data('offline-message.left').map((message) => [message.name, message.text]), [['Olu', 'Call me back']]);
    assert.ok(data('presence.changed').some((presence) => presence.agentId === 'ana' && presence.status === 'available'));
  });

  it('D5: a receiver that never recovers is tried with growing waits for 24 h, then the delivery is failed', async () => {
    service = await startTestService();
    receiver = await startWebhookReceiver();
    receiver.status = 503;
    const { body } = await service.admin('POST', '/admin/webhooks', { url: receiver.url, events: ['offline-message.left'], secret: 'a-secret-of-our-own-0123' });
    assert.equal(body.secret, 'a-secret-of-our-own-0123');
    await fetch(`${service.server.url}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button: 'sales', name: 'Olu', email: 'olu@example.com', text: 'Call me back' }),
    });
    const start = service.clock.now();
    await advance(0);
    const attemptTimes = [start];
    for (let minute = 1; minute <= 25 * 60; minute++) {
      const before = receiver.requests.length;
      await advance(60_000);
      if (receiver.requests.length > before) attemptTimes.push(service.clock.now());
    }
    await advance(24 * HOUR);
    const [delivery] = await log(body.id as string);
    assert.equal(delivery!.status, 'failed');
    assert.deepEqual([delivery!.attempts, delivery!.lastResponse, delivery!.lastError], [receiver.requests.length, 503, 'HTTP 503']);
    assert.equal(attemptTimes.length, receiver.requests.length);
    const waits = attemptTimes.slice(1).map((at, index) => at - attemptTimes[index]!);
    // Waits double from 30 s (rounded up to this loop's minutes) until they reach an hour, then stay there.
    assert.deepEqual(waits.slice(0, 8), [60_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
    assert.ok(waits.slice(7).every((wait) => wait === HOUR));
    assert.ok(attemptTimes.at(-1)! - start < 24 * HOUR && attemptTimes.at(-1)! - start > 23 * HOUR);
  });

  it('D5: a receiver nobody answers at: the log keeps the error; a deleted subscription gets nothing more', async () => {
    service = await startTestService();
    receiver = await startWebhookReceiver();
    const gone = await startWebhookReceiver();
    await gone.close();
    const refused = await service.admin('POST', '/admin/webhooks', { url: gone.url, events: ['offline-message.left'] });
    const kept = await service.admin('POST', '/admin/webhooks', { url: receiver.url, events: ['offline-message.left'] });
    const leave = () =>
      fetch(`${service.server.url}/v1/offline-messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ button: 'sales', name: 'Olu', email: 'olu@example.com', text: 'Call me back' }),
      });
    await leave();
    await advance(0);
    const [delivery] = await log(refused.body.id as string);
    assert.deepEqual([delivery!.status, delivery!.attempts, delivery!.lastResponse], ['pending', 1, null]);
    assert.match(delivery!.lastError ?? '', /ECONNREFUSED/);
    assert.equal(receiver.requests.length, 1);

    assert.equal((await service.admin('DELETE', `/admin/webhooks/${kept.body.id as string}`)).status, 200);
    await leave();
    await advance(HOUR);
    assert.equal(receiver.requests.length, 1);
    assert.equal((await service.admin('GET', `/admin/webhooks/${kept.body.id as string}/deliveries`)).status, 404);
  });

  it('D5: only admins manage webhooks; bad URLs, unknown events and bad bodies get typed errors and store nothing', async () => {
    service = await startTestService();
    receiver = await startWebhookReceiver();
    const valid = { url: receiver.url, events: ['session.message'] };
    const anonymous = (method: string, path: string, body?: unknown) =>
      fetch(`${service.server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    assert.equal((await anonymous('POST', '/admin/webhooks', valid)).status, 401);
    const wrong = await fetch(`${service.server.url}/admin/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}x`, 'content-type': 'application/json' }, body: JSON.stringify(valid) });
    assert.equal(wrong.status, 401);
    assert.equal((await anonymous('GET', '/admin/webhooks')).status, 401);
    for (const bad of [
      { ...valid, url: 'ftp://example.com/hook' },
      { ...valid, url: 'javascript:alert(1)' },
      { ...valid, url: 'not a url' },
      { ...valid, url: 'https://user:pass@example.com/hook' },
      { ...valid, events: ['session.exploded'] },
      { ...valid, events: [] },
      { ...valid, secret: 'short' },
      { ...valid, extra: true },
      { events: ['session.message'] },
    ]) {
      const refused = await service.admin('POST', '/admin/webhooks', bad);
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.equal((refused.body.error as { code: string }).code, 'bad_request');
    }
    assert.deepEqual((await service.admin('GET', '/admin/webhooks')).body, { webhooks: [] });

    const created = await service.admin('POST', '/admin/webhooks', { url: 'http://10.1.2.3:8080/in', events: ['session.message', 'session.message'] });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const listed = (await service.admin('GET', '/admin/webhooks')).body.webhooks as Array<Record<string, unknown>>;
    assert.deepEqual(listed, [{ id, url: 'http://10.1.2.3:8080/in', events: ['session.message'], createdAt: service.clock.now() }]);
    assert.equal((await anonymous('GET', `/admin/webhooks/${id}/deliveries`)).status, 401);
    assert.equal((await anonymous('DELETE', `/admin/webhooks/${id}`)).status, 401);
    assert.equal((await service.admin('GET', '/admin/webhooks')).body.webhooks instanceof Array, true);
    assert.equal((await service.admin('GET', `/admin/webhooks/${id}/deliveries?limit=0`)).status, 400);
    assert.equal((await service.admin('GET', '/admin/webhooks/nope/deliveries')).status, 404);
    assert.equal((await service.admin('DELETE', '/admin/webhooks/nope')).status, 404);
    assert.equal((await service.admin('DELETE', `/admin/webhooks/${id}`)).status, 200);
    assert.deepEqual((await service.admin('GET', '/admin/webhooks')).body, { webhooks: [] });
  });
});
