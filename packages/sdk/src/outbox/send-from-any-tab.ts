import type { ChatStore } from '../storage/chat-store.js';
import { writeToOutbox, type OutboxMessage } from './write-to-outbox.js';

/**
 * A message from whichever tab it is written in, leader or follower: stored
 * in the shared outbox first (with its cmid), then the leader is asked to send
 * what waits there. Once stored it is safe: if the leader goes away first, the
 * next one sends it when it starts. Resolves with the cmid.
 */
export async function sendFromAnyTab(
  store: Promise<ChatStore>,
  message: OutboxMessage,
  ids: { newId: () => string; now: () => number },
  flush: () => Promise<unknown>,
): Promise<string> {
  const { cmid } = await writeToOutbox(await store, message, ids);
  // Stored is what counts: a leader that cannot be reached now flushes when one leads, and after every welcome.
  await flush().catch(() => {});
  return cmid;
}
