import { byCreation, type ChatStore, type ClientRecord, type OutboxEntry, type TranscriptRow } from './chat-store.js';

/**
 * A ChatStore in memory: for Node, and the fallback when IndexedDB is blocked
 * or full. Nothing survives a reload, so the SDK warns when it falls back.
 */
export function createMemoryChatStore(): ChatStore {
  const rows = new Map<string, TranscriptRow[]>();
  const watermarks = new Map<string, number>();
  const outbox = new Map<string, OutboxEntry>();
  let record: ClientRecord = {};

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
    async sessions() {
      return [...watermarks.keys()];
    },
    async forget(sessionId) {
      rows.delete(sessionId);
      watermarks.delete(sessionId);
    },
    async enqueue(entry) {
      outbox.set(entry.cmid, entry);
    },
    async pending(sessionId) {
      return [...outbox.values()].filter((entry) => sessionId === undefined || entry.sessionId === sessionId).sort(byCreation);
    },
    async acknowledge(cmid) {
      outbox.delete(cmid);
    },
    async readRecord() {
      return { ...record };
    },
    async writeRecord(next) {
      record = { ...next };
    },
    close() {},
  };
}
