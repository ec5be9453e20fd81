import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestService, type TestService } from '../test-support/test-server.js';

describe('a chat over the socket', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(() => service.close());

  it('C4: a customer starts, an agent accepts, and messages flow both ways, acked with seq', async () => {
    const ana = await service.agent('ana');
    assert.equal((await ana.request({ type: 'presence', status: 'available' })).type, 'result');
    const customer = await service.customer('browser-1');
    const availability = await customer.next((frame) => frame.type === 'availability' && frame.online === true);
    assert.equal(availability.reason, 'agents');

    const started = await customer.request({ type: 'start', prechat: { name: 'Dana' } });
    const sessionId = (started.data as { sessionId: string }).sessionId;
    const offer = await ana.next((frame) => frame.type === 'offer');
    assert.equal(offer.sessionId, sessionId);
    await ana.request({ type: 'accept', offerId: offer.offerId });
    await customer.next((frame) => frame.type === 'event' && (frame.event as { kind: string }).kind === 'agent-joined');

    const ack = await customer.request({ type: 'message', cmid: 'c-1', text: 'Where is my order?' });
    assert.equal(ack.type, 'ack');
    const seen = await ana.next((frame) => frame.type === 'event' && frame.seq === ack.seq);
    assert.equal((seen.event as { text: string }).text, 'Where is my order?');

    const reply = await ana.request({ type: 'reply', sessionId, cmid: 'a-1', text: 'On its way!' });
    const delivered = await customer.next((frame) => frame.type === 'event' && frame.seq === reply.seq);
    assert.equal((delivered.event as { from: string }).from, 'agent');

    const seqs = customer.events(sessionId).map((frame) => frame.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, seqs.length);
  });

  it('C6: a message re-sent with the same cmid is stored once and gets the same ack', async () => {
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const customer = await service.customer('browser-2');
    await customer.request({ type: 'start' });
    const first = await customer.request({ type: 'message', cmid: 'same', text: 'hello' });
    const again = await customer.request({ type: 'message', cmid: 'same', text: 'hello' });
    assert.equal(again.seq, first.seq);
    const messages = customer.events().filter((frame) => frame.event.kind === 'message');
    assert.equal(messages.length, 1);
  });

  it('M3: resuming with the token and lastSeq replays exactly what was missed', async () => {
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const customer = await service.customer('browser-3');
    const started = await customer.request({ type: 'start' });
    const { sessionId, resumeToken } = started.data as { sessionId: string; resumeToken: string };
    const offer = await ana.next((frame) => frame.type === 'offer');
    await ana.request({ type: 'accept', offerId: offer.offerId });
    await customer.next((frame) => frame.type === 'event' && frame.event.kind === 'agent-joined');
    const lastSeq = Math.max(...customer.events(sessionId).map((frame) => frame.seq));
    await customer.close();

    await ana.request({ type: 'reply', sessionId, cmid: 'a-1', text: 'Are you there?' });
    await ana.request({ type: 'reply', sessionId, cmid: 'a-2', text: 'Hello?' });

    const back = await service.customer('browser-3', { resumeToken, lastSeq });
    const welcome = back.frames.find((frame) => frame.type === 'welcome')!;
    assert.equal(welcome.replay, 'events');
    assert.equal(welcome.sessionId, sessionId);
    const replayed = await back.next((frame) => frame.type === 'event' && frame.seq === lastSeq + 2);
    assert.equal((replayed.event as { text: string }).text, 'Hello?');
    assert.deepEqual(back.events(sessionId).map((frame) => frame.seq), [lastSeq + 1, lastSeq + 2]);
  });

  it('C2: with no agent available a start is refused as offline, and a left message is stored', async () => {
    const customer = await service.customer('browser-4');
    const availability = await customer.next((frame) => frame.type === 'availability');
    assert.deepEqual([availability.online, availability.reason], [false, 'agents']);
    const refused = await customer.request({ type: 'start' });
    assert.deepEqual([refused.type, refused.code], ['error', 'offline']);
    const response = await fetch(`${service.server.url}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button: 'sales', name: 'Dana', email: 'dana@example.com', text: 'Call me back' }),
    });
    assert.equal(response.status, 201);
  });

  it('C4: Waiting customers hear their queue position, which moves up as the queue moves', async () => {
    const ben = await service.agent('ben');
    await ben.request({ type: 'presence', status: 'available' });
    const first = await service.customer('browser-q1');
    const second = await service.customer('browser-q2');
    const started = await first.request({ type: 'start' });
    await second.request({ type: 'start' });
    assert.equal((await first.next((frame) => frame.type === 'queue')).position, 1);
    assert.equal((await second.next((frame) => frame.type === 'queue')).position, 2);
    const offer = await ben.next((frame) => frame.type === 'offer');
    assert.equal(offer.sessionId, (started.data as { sessionId: string }).sessionId);
    await ben.request({ type: 'accept', offerId: offer.offerId });
    assert.equal((await second.next((frame) => frame.type === 'queue')).position, 1);
  });

  it('C2: availability is readable over plain HTTP, cacheable for a few seconds', async () => {
    const response = await fetch(`${service.server.url}/v1/availability?button=sales`);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=5');
    assert.deepEqual(await response.json(), { button: 'sales', online: false, reason: 'agents' });
  });
});
