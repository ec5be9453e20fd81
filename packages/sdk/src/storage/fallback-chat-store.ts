import type { ChatStore } from './chat-store.js';
import { createMemoryChatStore } from './memory-chat-store.js';

type StoreCall = Exclude<keyof ChatStore, 'close'>;
const CALLS: readonly StoreCall[] = ['append', 'replace', 'transcript', 'lastSeq', 'sessions', 'forget', 'enqueue', 'pending', 'acknowledge', 'readRecord', 'writeRecord'];

/**
 * Uses `primary` until it fails (IndexedDB full, blocked, or the browser
 * dropped it), then memory from that call on, with one warning: the chat
 * keeps working, though what follows will not survive a reload.
 */
export function withMemoryFallback(primary: ChatStore, warn: (message: string, error: unknown) => void = console.warn): ChatStore {
  const memory = createMemoryChatStore();
  let current = primary;
  type Method = (...args: unknown[]) => Promise<unknown>;
  const method = (store: ChatStore, name: StoreCall) => store[name] as Method;
  const call = (name: StoreCall) => async (...args: unknown[]) => {
    try {
      return await method(current, name)(...args);
    } catch (error) {
      if (current === memory) throw error;
      warn('[parley] IndexedDB failed; the chat continues in memory and will not survive a reload.', error);
      current = memory;
      return method(memory, name)(...args);
    }
  };
  const store = Object.fromEntries(CALLS.map((name) => [name, call(name)]));
  return { ...store, close: () => primary.close() } as unknown as ChatStore;
}
