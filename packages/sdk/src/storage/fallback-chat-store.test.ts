import { expect } from '@open-wc/testing';
import type { ChatStore } from './chat-store.js';
import { withMemoryFallback } from './fallback-chat-store.js';
import { createMemoryChatStore } from './memory-chat-store.js';

/** A store whose every call fails as a full IndexedDB does. */
function fullStore(): ChatStore {
  const quota = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
  const store = createMemoryChatStore();
  for (const key of Object.keys(store) as Array<keyof ChatStore>) if (key !== 'close') (store as unknown as Record<string, unknown>)[key] = quota;
  return store;
}

describe('storage fallback', () => {
  it('C6: when IndexedDB is full, keeps working in memory and warns once; never throws', async () => {
    const warnings: string[] = [];
    const store = withMemoryFallback(fullStore(), (message) => warnings.push(message));
    await store.enqueue({ cmid: 'm1', sessionId: 's', text: 'still sent', createdAt: 1 });
    await store.writeRecord({ sessionId: 's' });
    expect((await store.pending('s')).map((entry) => entry.text)).to.deep.equal(['still sent']);
    expect((await store.readRecord()).sessionId).to.equal('s');
    expect(warnings.length).to.equal(1);
  });
});
