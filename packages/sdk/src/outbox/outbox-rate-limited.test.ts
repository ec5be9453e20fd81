import { expect } from '@open-wc/testing';
import type { ChatMessage } from '@parley/sdk';
import { chatting, startService, until } from '../test-support/live-service.js';

const sentTexts = (messages: ChatMessage[]) => messages.filter((message) => message.from === 'customer' && message.status === 'sent').map((message) => message.text);

describe('the outbox when the service drops frames (real service)', () => {
  it('C6, C4: messages the service drops for its frame limit come back as rate_limited with their ref, are sent again, and arrive once each', async function () {
    this.timeout(60_000);
    // A service stricter than the client's pace: most of a burst of 30 is dropped.
    const service = await startService({ limits: { framesPerSecond: 5, frameBurst: 8 } });
    const { chat, agent, sessionId } = await chatting(service, { retryQueuedMs: 300 });
    const texts = Array.from({ length: 30 }, (_, index) => `burst ${index + 1}`);
    for (const text of texts) await chat.send(text);
    const messages = await until(chat.messages$, (list) => sentTexts(list).length === 30);
    // Exactly once each; a message sent again may land after a later one.
    expect(sentTexts(messages).sort()).to.deep.equal([...texts].sort());
    const stored = new Set<string>();
    while (stored.size < 30) {
      const frame = await agent.seen((candidate) => candidate.type === 'event' && candidate.sessionId === sessionId && texts.includes((candidate.event as { text?: string }).text ?? '') && !stored.has((candidate.event as { text: string }).text));
      stored.add((frame.event as { text: string }).text);
    }
    expect(agent.customerTexts(sessionId).sort()).to.deep.equal([...texts].sort());
    chat.close();
    agent.close();
  });
});
