import type { ChatStore } from './chat-store.js';
import { createMemoryChatStore } from './memory-chat-store.js';

/**
 * Uses `primary` until it fails (IndexedDB full, blocked, or the browser
 * dropped it), then memory from that call on, with one warning: the chat
 * keeps working, though what follows will not survive a reload.
 */
export function withMemoryFallback(primary: ChatStore, warn: (message: string, error: unknown) => void = console.warn): ChatStore {
  const memory = createMemoryChatStore();
  let current = primary;
  type Method = (...args: unknown[]) => Promise<unknown>;
  const method = (store: ChatStore, name: string) => (store as unknown as Record<string, Method>)[name]!;
  const call = (name: Exclude<keyof ChatStore, 'close'>) => async (...args: unknown[]) => {
    try {
      return await method(current, name)(...args);
    } catch (error) {
      if (current === memory) throw error;
      warn('[parley] IndexedDB failed; the chat continues in memory and will not survive a reload.', error);
      current = memory;
      return method(memory, name)(...args);
    }
  };
  return {
    append: call('append'),
    replace: call('replace'),
    transcript: call('transcript'),
    lastSeq: call('lastSeq'),
    enqueue: call('enqueue'),
    pending: call('pending'),
    acknowledge: call('acknowledge'),
    getMeta: call('getMeta'),
    setMeta: call('setMeta'),
    close: () => primary.close(),
  } as unknown as ChatStore;
}
