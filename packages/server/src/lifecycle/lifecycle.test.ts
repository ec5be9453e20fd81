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

  it('S6: an agent-initiated session with no reply is Ended at the enhanced 48 hours, not a moment before (nor at the standard 24); a reply keeps it', async () => {
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'end' });
    const first = await agent.request({ type: 'initiate', sessionId, cmid: 'i1', text: 'Your order shipped. Any questions?' });
    const second = await agent.request({ type: 'initiate', sessionId, cmid: 'i2', text: 'Another note' });
    const quiet = (first.data as { sessionId: string }).sessionId;
    const answered = (second.data as { sessionId: string }).sessionId;
    await service.server.service.chat.customerMessage(answered, 'c9', 'Thanks!');
    await service.advance(24 * HOUR);
    assert.equal((await service.server.service.chat.get(quiet)).state, 'active', 'still open at 24 h: the standard time is not the enhanced one');
    await service.advance(24 * HOUR - 1);
    assert.equal((await service.server.service.chat.get(quiet)).state, 'active', 'still open 1 ms before 48 h');
    await service.advance(1);
    assert.equal(await reachedState(agent, quiet, 'ended'), 'no-reply');
    assert.equal((await service.server.service.chat.get(answered)).state, 'active');
  });

  it('S6: on a standard channel, Ended at 24 hours; an enhanced channel configured to 54 hours waits 54', async () => {
    for (const [lifecycle, hours] of [[{ channel: 'standard' }, 24], [{ channel: 'enhanced', enhancedNoReplyHours: 54 }, 54]] as const) {
      const configured = await startTestService({ lifecycle: { customerInactivityMinutes: 5, ...lifecycle } });
      try {
        const { agent, customer, sessionId } = await openChat(configured);
        await customer.request({ type: 'end' });
        const quiet = ((await agent.request({ type: 'initiate', sessionId, cmid: 'i1', text: 'Any questions?' })).data as { sessionId: string }).sessionId;
        await configured.advance(hours * HOUR - 1);
        assert.equal((await configured.server.service.chat.get(quiet)).state, 'active', `${lifecycle.channel}: open 1 ms before ${hours} h`);
        await configured.advance(1);
        assert.equal(await reachedState(agent, quiet, 'ended'), 'no-reply');
      } finally {
        await configured.close();
      }
    }
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

  it('S8: an opt-out keyword (any case) ends the session and records the opt-out for the browser, which admins can list', async () => {
    assert.deepEqual((await service.admin('GET', '/admin/opt-outs')).body.optOuts, []);
    const { customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c0', text: 'Please stop by tomorrow' });
    assert.equal((await service.server.service.chat.get(sessionId)).state, 'active', 'a message that only contains the word is no opt-out');
    const optedOutAt = service.clock.now();
    await customer.request({ type: 'message', cmid: 'c1', text: ' stop ' });
    assert.equal(await reachedState(customer, sessionId, 'ended'), 'opt-out');
    const refused = await customer.request({ type: 'message', cmid: 'c2', text: 'hello?' });
    assert.equal(refused.code, 'session_ended');
    const listed = await service.admin('GET', '/admin/opt-outs');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.optOuts, [{ browserId: 'browser-1', sessionId, keyword: 'stop', at: optedOutAt }]);
  });
});
