import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { openChat } from '../test-support/chat-setup.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

describe('read receipts', () => {
  let service: TestService;
  afterEach(() => service.close());

  const marks = async (sessionId: string) => service.server.service.context.store.receiptsOf(sessionId);

  it("I4: the agent's receipt reaches the customer; marks only move forward and a repeat tells nobody", async () => {
    service = await startTestService();
    const { agent, customer, sessionId } = await openChat(service);
    const ack = await customer.request({ type: 'message', cmid: 'c1', text: 'Hello?' });
    const heard = customer.next((frame) => frame.type === 'receipt');
    const answer = await agent.request({ type: 'receipt', sessionId, delivered: ack.seq, read: 0 });
    assert.deepEqual(answer.data, { delivered: ack.seq, read: 0 });
    assert.deepEqual(await heard, { type: 'receipt', sessionId, by: 'agent', delivered: ack.seq, read: 0 });
    const read = customer.next((frame) => frame.type === 'receipt');
    await agent.request({ type: 'receipt', sessionId, delivered: 0, read: ack.seq });
    assert.deepEqual(await read, { type: 'receipt', sessionId, by: 'agent', delivered: ack.seq, read: ack.seq });
    // Lower and equal marks: the stored ones stand, and the customer hears nothing more.
    assert.deepEqual((await agent.request({ type: 'receipt', sessionId, delivered: 1, read: 1 })).data, { delivered: ack.seq, read: ack.seq });
    await customer.request({ type: 'message', cmid: 'c2', text: 'Still there?' });
    assert.equal(customer.frames.filter((frame) => frame.type === 'receipt').length, 2);
    assert.deepEqual((await marks(sessionId)).agent, { delivered: ack.seq, read: ack.seq });
  });

  it("I4: the customer's reads reach the agent the same way", async () => {
    service = await startTestService();
    const { agent, customer, sessionId } = await openChat(service);
    const ack = await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Hi, I am Ana' });
    const heard = agent.next((frame) => frame.type === 'receipt');
    await customer.request({ type: 'receipt', delivered: ack.seq, read: ack.seq });
    assert.deepEqual(await heard, { type: 'receipt', sessionId, by: 'customer', delivered: ack.seq, read: ack.seq });
  });

  it('I4: only the assigned agent and the session\'s customer report; bad marks are refused and change nothing', async () => {
    service = await startTestService();
    const { agent, customer, sessionId } = await openChat(service);
    const ben = await service.agent('ben');
    assert.equal((await ben.request({ type: 'receipt', sessionId, delivered: 1, read: 1 })).code, 'not_assigned');
    const stranger = await service.customer('browser-2');
    assert.equal((await stranger.request({ type: 'receipt', delivered: 1, read: 1 })).code, 'no_session');
    assert.equal((await stranger.request({ type: 'receipt', sessionId, delivered: 1, read: 1 })).code, 'bad_frame');
    const { lastSeq } = (await service.server.service.context.store.getSession(sessionId))!;
    assert.equal((await agent.request({ type: 'receipt', sessionId, delivered: lastSeq + 1, read: 0 })).code, 'bad_request');
    assert.equal((await customer.request({ type: 'receipt', delivered: 0, read: lastSeq + 1 })).code, 'bad_request');
    for (const bad of [{ delivered: -1, read: 0 }, { delivered: 1 }, { delivered: 1, read: 1.5 }, { delivered: '1', read: 1 }, { delivered: 1, read: 1, at: 5 }]) {
      assert.equal((await agent.request({ type: 'receipt', sessionId, ...bad })).code, 'bad_frame', JSON.stringify(bad));
    }
    assert.deepEqual(await marks(sessionId), { customer: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } });
    assert.equal(customer.frames.some((frame) => frame.type === 'receipt') || agent.frames.some((frame) => frame.type === 'receipt'), false);
  });

  it('I4: the marks are stored: a customer and an agent coming back get them with their welcome', async () => {
    service = await startTestService();
    const { agent, customer, sessionId, resumeToken } = await openChat(service);
    const mine = await customer.request({ type: 'message', cmid: 'c1', text: 'Hello?' });
    const theirs = await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Hello!' });
    await agent.request({ type: 'receipt', sessionId, delivered: theirs.seq, read: mine.seq });
    await customer.request({ type: 'receipt', delivered: theirs.seq, read: theirs.seq });
    await customer.close();
    await agent.close();
    await service.agentGone('ana');
    // The stored marks follow the welcome, so they are in before the answer to a first request.
    const back = await service.customer('browser-1', { resumeToken, lastSeq: theirs.seq });
    await back.request({ type: 'receipt', delivered: 0, read: 0 });
    assert.deepEqual(back.frames.filter((frame) => frame.type === 'receipt'), [
      { type: 'receipt', sessionId, by: 'customer', delivered: theirs.seq, read: theirs.seq },
      { type: 'receipt', sessionId, by: 'agent', delivered: theirs.seq, read: mine.seq },
    ]);
    const agentBack = await service.agent('ana');
    await agentBack.request({ type: 'receipt', sessionId, delivered: 0, read: 0 });
    assert.deepEqual(agentBack.frames.filter((frame) => frame.type === 'receipt'), [
      { type: 'receipt', sessionId, by: 'customer', delivered: theirs.seq, read: theirs.seq },
      { type: 'receipt', sessionId, by: 'agent', delivered: theirs.seq, read: mine.seq },
    ]);
  });
});
