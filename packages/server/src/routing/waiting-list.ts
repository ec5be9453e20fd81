import type { WaitingEntry } from '@parley/protocol';
import type { SessionRecord } from '../store/store.js';

/** A queue entry with the office it belongs to (delivery shows each agent their offices' entries only). */
export type OfficeWaitingEntry = WaitingEntry & { office: string };

/** Q1: the Waiting sessions (oldest first) as agents see the queue: position per button, and whether one is being offered. */
export function waitingList(waiting: readonly SessionRecord[], offered: ReadonlySet<string>): OfficeWaitingEntry[] {
  const positions = new Map<string, number>();
  return waiting.map((session) => {
    const position = (positions.get(session.button) ?? 0) + 1;
    positions.set(session.button, position);
    return { sessionId: session.id, button: session.button, office: session.office, position, since: session.createdAt, prechat: session.prechat, ...(session.identity ? { identity: session.identity } : {}), offered: offered.has(session.id) };
  });
}
