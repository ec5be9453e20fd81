import { isBlankText, LIMITS, type AttachmentRef } from '@parley/protocol';
import { ParleyError } from '../errors/parley-error.js';
import type { ChatStore, OutboxEntry } from '../storage/chat-store.js';

/** Refuses what the service would refuse, before anything is stored. */
export function checkText(text: string): void {
  if (isBlankText(text) || text.length > LIMITS.textLength) throw new ParleyError('bad_text', `A message is 1 to ${LIMITS.textLength} characters.`);
}

/** I2: what a send may add to the text: a file uploaded with this cmid as its key. */
export interface SendOptions {
  attachment?: AttachmentRef | undefined;
  cmid?: string | undefined;
}

export interface OutboxMessage extends SendOptions {
  sessionId: string;
  text: string;
}

/**
 * Writes a message to the store's outbox with a new `cmid`. Any tab may: the
 * store is shared, and the leader sends what it finds there, so a message is
 * safe the moment this resolves, even if the leader tab closes meanwhile.
 */
export async function writeToOutbox(store: ChatStore, message: OutboxMessage, ids: { newId: () => string; now: () => number }): Promise<OutboxEntry> {
  // I2: a message with a file may say nothing more.
  if (!message.attachment || message.text) checkText(message.text);
  const entry: OutboxEntry = { cmid: message.cmid ?? ids.newId(), sessionId: message.sessionId, text: message.text, createdAt: ids.now(), attachment: message.attachment };
  await store.enqueue(entry);
  return entry;
}
