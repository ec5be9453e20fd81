import { expect } from '@open-wc/testing';
import type { ChatMessage } from '@parley/sdk';
import { chatting, startService, startServiceAgain, stopService, until } from '../test-support/live-service.js';

const sentTexts = (messages: ChatMessage[]) => messages.filter((message) => message.from === 'customer' && message.status === 'sent').map((message) => message.text);

describe('the outbox within the service\'s frame limit (real service)', () => {
  it('C6: 100 messages written while disconnected all reach the service exactly once after the reconnect, paced within its frame limit; none is left sending', async function () {
    // Paced at the protocol's outbox share (20 at once, then 10 a second): about 8 s of sending.
    this.timeout(60_000);
    const service = await startService();
    const { chat, agent, sessionId } = await chatting(service);
    await stopService(service);
    await until(chat.connection$, (state) => state.status === 'reconnecting');
    const texts = Array.from({ length: 100 }, (_, index) => `offline ${index + 1}`);
    for (const text of texts) await chat.send(text);
    // A message sent and then queued again was dropped by the service (rate_limited): the pace should prevent that.
    const sending = new Set<string>();
    const requeued = new Set<string>();
    const watch = chat.messages$.subscribe((list) => {
      for (const message of list) {
        if (message.status === 'sending') sending.add(message.id);
        else if (message.status === 'queued' && sending.has(message.id)) requeued.add(message.id);
      }
    });
    await startServiceAgain(service);
    window.dispatchEvent(new Event('online'));
    const messages = await until(chat.messages$, (list) => sentTexts(list).length === 100);
    watch.unsubscribe();
    expect(messages.filter((message) => message.status !== 'sent')).to.deep.equal([]);
    expect(requeued.size, 'messages dropped by the frame limit and queued again').to.equal(0);
    expect(sentTexts(messages)).to.deep.equal(texts);
    await agent.reconnect();
    await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'offline 100');
    // Once each, in order: a message stored twice would have two seqs here.
    expect(agent.customerTexts(sessionId)).to.deep.equal(texts);
    chat.close();
    agent.close();
  });
});
