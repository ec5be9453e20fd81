import { expect } from '@open-wc/testing';
import { createChatClient, type ChatMessage } from '@parley/sdk';
import { openTab } from '../test-support/tab-frame.js';
import { chatting, RawAgent, restartService, startService, startServiceAgain, stopService, until } from '../test-support/live-service.js';

const sentTexts = (messages: ChatMessage[], from: ChatMessage['from']) => messages.filter((message) => message.from === from && message.status === 'sent').map((message) => message.text);

describe('chat client against the real service', () => {
  it('M3: a drain in the middle of a chat resumes with 0 lost and 0 duplicated messages both ways', async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatting(service);
    for (let index = 1; index <= 5; index++) {
      await chat.send(`c${index}`);
      await agent.request({ type: 'reply', sessionId, cmid: `a${index}`, text: `a${index}` });
    }
    await until(chat.messages$, (messages) => sentTexts(messages, 'customer').length === 5);

    const restarted = restartService(service);
    await until(chat.connection$, (state) => state.status === 'reconnecting');
    for (let index = 6; index <= 10; index++) await chat.send(`c${index}`);
    await restarted;
    await agent.reconnect();
    for (let index = 6; index <= 10; index++) await agent.request({ type: 'reply', sessionId, cmid: `a${index}`, text: `a${index}` });

    const messages = await until(chat.messages$, (list) => sentTexts(list, 'customer').length === 10 && sentTexts(list, 'agent').length === 10);
    const expected = (prefix: string) => Array.from({ length: 10 }, (_, index) => `${prefix}${index + 1}`);
    expect(sentTexts(messages, 'customer')).to.deep.equal(expected('c'));
    expect(sentTexts(messages, 'agent')).to.deep.equal(expected('a'));
    expect(messages.length).to.equal(20);
    await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'c10');
    expect(agent.customerTexts(sessionId)).to.deep.equal(expected('c'));
    chat.close();
    agent.close();
  });

  it('C6: a message written while disconnected waits in the outbox and is delivered once after reconnect', async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatting(service);
    await stopService(service);
    await until(chat.connection$, (state) => state.status === 'reconnecting');
    const id = await chat.send('written offline');
    expect((await until(chat.messages$, (list) => list.some((message) => message.id === id))).find((message) => message.id === id)!.status).to.equal('queued');
    await startServiceAgain(service);
    await until(chat.messages$, (list) => list.find((message) => message.id === id)?.status === 'sent');
    await agent.reconnect();
    await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'written offline');
    expect(agent.customerTexts(sessionId)).to.deep.equal(['written offline']);
    chat.close();
    agent.close();
  });

  it('C6: a message written while disconnected survives a page reload and is delivered once', async () => {
    const service = await startService();
    const agent = await RawAgent.connect(service, 'ana');
    await agent.request({ type: 'presence', status: 'available' });
    const page = await openTab({ endpoint: service.url, button: 'sales' });
    await until(page.chat.connection$, (state) => state.status === 'open');
    const sessionId = await page.chat.start({ name: 'Dana' });
    const offer = await agent.seen((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await until(page.chat.session$, (session) => session.state === 'active');
    await stopService(service);
    await until(page.chat.connection$, (state) => state.status === 'reconnecting');
    const id = await page.chat.send('written before the reload');

    await page.reload();
    const kept = await until(page.chat.messages$, (list) => list.some((message) => message.id === id));
    expect(kept.find((message) => message.id === id)!.status).to.equal('queued');
    expect((await until(page.chat.session$, (session) => session.state !== 'none')).state).to.equal('active');
    await startServiceAgain(service);
    // Back as a browser learns it: the network is up. The client tries at once instead of waiting out its
    // backoff, which the restart (seconds on a loaded machine) may have grown past the test's time.
    page.frame.contentWindow!.dispatchEvent(new Event('online'));
    await until(page.chat.messages$, (list) => list.find((message) => message.id === id)?.status === 'sent');
    await agent.reconnect();
    await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'written before the reload');
    expect(agent.customerTexts(sessionId)).to.deep.equal(['written before the reload']);
    page.close();
    agent.close();
  });

  it('stops on a terminal close with a typed error and does not loop', async () => {
    const service = await startService({ allowedOrigins: [] });
    // The test page's origin is not the service's and is not allowed: 4403, terminal.
    const chat = createChatClient({ endpoint: service.url, button: 'sales' });
    const closed = await until(chat.connection$, (state) => state.status === 'closed');
    expect(closed.status === 'closed' && closed.error?.code).to.equal('forbidden');
    chat.close();
  });
});
