export { ParleyError } from './errors/parley-error.js';
export type { ChatStore, OutboxEntry, TranscriptRow } from './storage/chat-store.js';
export { createMemoryChatStore } from './storage/memory-chat-store.js';
export { openIndexedDbChatStore } from './storage/indexed-db-chat-store.js';
export { createTabChannel, type TabChannel, type TabChannelOptions } from './tabs/tab-channel.js';
export { PROTOCOL_VERSION } from './protocol/version.js';
