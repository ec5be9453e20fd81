import { isBlankText, LIMITS } from '@parley/protocol';
import { ParleyError } from '../errors/parley-error.js';
import type { ChatStore, OutboxEntry } from '../storage/chat-store.js';

/** Refuses what the service would refuse, before anything is stored. */
export function checkText(text: string): void {
  if (isBlankText(text) || text.length > LIMITS.textLength) throw new ParleyError('bad_text', `A message is 1 to ${LIMITS.textLength} characters.`);
}

/**
 * Writes a message to the store's outbox with a new `cmid`. Any tab may: the
 * store is shared, and the leader sends what it finds there, so a message is
 * safe the moment this resolves, even if the leader tab closes meanwhile.
 */
export async function writeToOutbox(store: ChatStore, message: { sessionId: string; text: string }, ids: { newId: () => string; now: () => number }): Promise<OutboxEntry> {
  checkText(message.text);
  const entry: OutboxEntry = { cmid: ids.newId(), sessionId: message.sessionId, text: message.text, createdAt: ids.now() };
  await store.enqueue(entry);
  return entry;
}
