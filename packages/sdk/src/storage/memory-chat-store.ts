import type { ChatStore, OutboxEntry, TranscriptRow } from './chat-store.js';

/**
 * A ChatStore in memory: for Node, and the fallback when IndexedDB is blocked
 * or full. Nothing survives a reload, so the SDK warns when it falls back.
 */
export function createMemoryChatStore(): ChatStore {
  const rows = new Map<string, TranscriptRow[]>();
  const watermarks = new Map<string, number>();
  const outbox = new Map<string, OutboxEntry>();
  const meta = new Map<string, string>();

  return {
    async append(sessionId, newRows, lastSeq) {
      rows.set(sessionId, [...(rows.get(sessionId) ?? []), ...newRows]);
      watermarks.set(sessionId, lastSeq);
    },
    async replace(sessionId, newRows, lastSeq) {
      rows.set(sessionId, [...newRows]);
      watermarks.set(sessionId, lastSeq);
    },
    async transcript(sessionId) {
      return [...(rows.get(sessionId) ?? [])];
    },
    async lastSeq(sessionId) {
      return watermarks.get(sessionId) ?? 0;
    },
    async enqueue(entry) {
      outbox.set(entry.cmid, entry);
    },
    async pending(sessionId) {
      return [...outbox.values()].filter((entry) => entry.sessionId === sessionId).sort(byCreation);
    },
    async acknowledge(cmid) {
      outbox.delete(cmid);
    },
    async getMeta(key) {
      return meta.get(key);
    },
    async setMeta(key, value) {
      if (value === undefined) meta.delete(key);
      else meta.set(key, value);
    },
    close() {},
  };
}

function byCreation(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt - b.createdAt || (a.cmid < b.cmid ? -1 : 1);
}
