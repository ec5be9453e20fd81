import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { reachedState, openChat } from '../test-support/chat-setup.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('session lifecycle in the service, on the fake clock', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(() => service.close());

  it('S1, S2: Inactive 5 minutes after the first agent reply to the customer; a second reply does not restart the countdown', async () => {
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c1', text: 'I think so, let me check.' });
    await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Hello, were you able to find the ID?' });
    await service.advance(2 * MINUTE);
    await agent.request({ type: 'reply', sessionId, cmid: 'a2', text: "Hello? Is it me you're looking for?" });
    await service.advance(3 * MINUTE - 1);
    assert.equal((await service.server.service.chat.get(sessionId)).state, 'active');
    await service.advance(1);
    await reachedState(customer, sessionId, 'inactive');
  });

  it('S3, S4: the agent cannot write to the Inactive session; the customer coming back makes it Waiting and it goes to the previous agent first', async () => {
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c1', text: 'hi' });
    await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'hello' });
    await service.advance(5 * MINUTE);
    await reachedState(customer, sessionId, 'inactive');

    const refused = await agent.request({ type: 'reply', sessionId, cmid: 'a2', text: 'still there?' });
    assert.deepEqual([refused.type, refused.code], ['error', 'session_inactive']);

    const ben = await service.agent('ben');
    await ben.request({ type: 'presence', status: 'available' });
    await customer.request({ type: 'message', cmid: 'c2', text: 'back again' });
    await reachedState(customer, sessionId, 'waiting', 'customer-returned');
    const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    assert.equal(offer.sessionId, sessionId);
    assert.equal(ben.frames.some((frame) => frame.type === 'offer'), false);
  });

  it('S5: an Inactive session is Ended 24 hours later', async () => {
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c1', text: 'hi' });
    await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'hello' });
    await service.advance(5 * MINUTE);
    await reachedState(customer, sessionId, 'inactive');
    await service.advance(24 * HOUR - 1);
    assert.equal((await service.server.service.chat.get(sessionId)).state, 'inactive');
    await service.advance(1);
    await reachedState(customer, sessionId, 'ended');
  });

  it('S6: an agent-initiated session with no reply is Ended after the enhanced 48 hours; a reply keeps it', async () => {
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'end' });
    const first = await agent.request({ type: 'initiate', sessionId, cmid: 'i1', text: 'Your order shipped. Any questions?' });
    const second = await agent.request({ type: 'initiate', sessionId, cmid: 'i2', text: 'Another note' });
    const quiet = (first.data as { sessionId: string }).sessionId;
    const answered = (second.data as { sessionId: string }).sessionId;
    await service.server.service.chat.customerMessage(answered, 'c9', 'Thanks!');
    await service.advance(48 * HOUR);
    assert.equal((await service.server.service.chat.get(quiet)).state, 'ended');
    assert.equal((await service.server.service.chat.get(answered)).state, 'active');
  });

  it('S7: a notification ends its session at once, unless sent with 48-hour longevity', async () => {
    const { customer, sessionId } = await openChat(service);
    await customer.request({ type: 'end' });
    const once = await service.admin('POST', '/admin/notifications', { sessionId, text: 'Your parcel arrives today' });
    assert.deepEqual([once.status, once.body.state], [201, 'ended']);
    const kept = await service.admin('POST', '/admin/notifications', { sessionId, text: 'Reply to reschedule', longevity: true });
    assert.equal(kept.body.state, 'active');
    await service.advance(48 * HOUR);
    assert.equal((await service.server.service.chat.get(kept.body.sessionId as string)).state, 'ended');
  });

  it('S8: an opt-out keyword ends the session and records the opt-out', async () => {
    const { customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c1', text: 'stop' });
    await reachedState(customer, sessionId, 'ended');
    const refused = await customer.request({ type: 'message', cmid: 'c2', text: 'hello?' });
    assert.equal(refused.code, 'session_ended');
  });
});
