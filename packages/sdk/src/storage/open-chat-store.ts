import type { ChatStore } from './chat-store.js';
import { openIndexedDbChatStore } from './indexed-db-chat-store.js';
import { withMemoryFallback } from './fallback-chat-store.js';
import { createMemoryChatStore } from './memory-chat-store.js';

/**
 * IndexedDB where it works; memory otherwise (Node, private modes that block
 * it, a full disk), with a warning, because then nothing survives a reload.
 */
export async function openChatStore(name: string): Promise<ChatStore> {
  if (typeof indexedDB === 'undefined') return createMemoryChatStore();
  try {
    return withMemoryFallback(await openIndexedDbChatStore({ name }));
  } catch (error) {
    console.warn('[parley] IndexedDB is not available; the chat is kept in memory only and will not survive a reload.', error);
    return createMemoryChatStore();
  }
}
