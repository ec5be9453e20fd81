import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { byCreation, type ChatStore, type ClientRecord, type OutboxEntry, type TranscriptRow } from './chat-store.js';

interface ParleySchema extends DBSchema {
  transcript: { key: [string, number]; value: TranscriptRow; indexes: { bySession: string } };
  watermarks: { key: string; value: { sessionId: string; lastSeq: number } };
  outbox: { key: string; value: OutboxEntry; indexes: { bySession: [string, number] } };
  /** `record`: the ClientRecord. Older versions kept its fields as separate strings. */
  meta: { key: string; value: ClientRecord | string };
}

const VERSION = 1;
const RECORD_KEY = 'record';
const LEGACY_KEYS = ['browserId', 'sessionId', 'resumeToken', 'epoch'] as const;

/**
 * A ChatStore in IndexedDB. Every tab of the origin shares it, which is what
 * lets a new leader tab drain the outbox the old one left.
 *
 * @example
 * const store = await openIndexedDbChatStore({ name: 'parley:https://chat.example.com' });
 */
export async function openIndexedDbChatStore(options: { name: string }): Promise<ChatStore> {
  const db: IDBPDatabase<ParleySchema> = await openDB<ParleySchema>(options.name, VERSION, {
    upgrade(database) {
      const transcript = database.createObjectStore('transcript', { keyPath: ['sessionId', 'seq'] });
      transcript.createIndex('bySession', 'sessionId');
      database.createObjectStore('watermarks', { keyPath: 'sessionId' });
      const outbox = database.createObjectStore('outbox', { keyPath: 'cmid' });
      outbox.createIndex('bySession', ['sessionId', 'createdAt']);
      database.createObjectStore('meta');
    },
  });
  const sessionRange = (sessionId: string) => IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity]);

  // Rows and watermark move in one transaction: after a crash the watermark
  // never claims an event whose row is missing, so resume replays it.
  async function write(sessionId: string, rows: readonly TranscriptRow[], lastSeq: number | undefined, clear: boolean) {
    const tx = db.transaction(['transcript', 'watermarks'], 'readwrite');
    const transcript = tx.objectStore('transcript');
    if (clear) await transcript.delete(sessionRange(sessionId));
    const watermarks = tx.objectStore('watermarks');
    const watermark = lastSeq === undefined ? watermarks.delete(sessionId) : watermarks.put({ sessionId, lastSeq });
    await Promise.all([...rows.map((row) => transcript.put(row)), watermark]);
    await tx.done;
  }

  return {
    append: (sessionId, rows, lastSeq) => write(sessionId, rows, lastSeq, false),
    replace: (sessionId, rows, lastSeq) => write(sessionId, rows, lastSeq, true),
    forget: (sessionId) => write(sessionId, [], undefined, true),
    transcript: (sessionId) => db.getAllFromIndex('transcript', 'bySession', sessionId),
    async lastSeq(sessionId) {
      return (await db.get('watermarks', sessionId))?.lastSeq ?? 0;
    },
    sessions: () => db.getAllKeys('watermarks'),
    async enqueue(entry) {
      await db.put('outbox', entry);
    },
    async pending(sessionId) {
      if (sessionId !== undefined) return db.getAllFromIndex('outbox', 'bySession', sessionRange(sessionId));
      return (await db.getAll('outbox')).sort(byCreation);
    },
    acknowledge: (cmid) => db.delete('outbox', cmid),
    async readRecord() {
      const record = await db.get('meta', RECORD_KEY);
      if (typeof record === 'object') return record;
      // A store written before the record existed: its fields, one key each.
      const legacy: ClientRecord = {};
      for (const key of LEGACY_KEYS) {
        const value = await db.get('meta', key);
        if (typeof value === 'string') legacy[key] = value;
      }
      return legacy;
    },
    async writeRecord(record) {
      await db.put('meta', { ...record }, RECORD_KEY);
    },
    close: () => db.close(),
  };
}
