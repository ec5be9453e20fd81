import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ChatStore, OutboxEntry, TranscriptRow } from './chat-store.js';

interface ParleySchema extends DBSchema {
  transcript: { key: [string, number]; value: TranscriptRow; indexes: { bySession: string } };
  watermarks: { key: string; value: { sessionId: string; lastSeq: number } };
  outbox: { key: string; value: OutboxEntry; indexes: { bySession: [string, number] } };
  meta: { key: string; value: string };
}

const VERSION = 1;

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

  // Rows and watermark move in one transaction: after a crash the watermark
  // never claims an event whose row is missing, so resume replays it.
  async function write(sessionId: string, rows: readonly TranscriptRow[], lastSeq: number, clear: boolean) {
    const tx = db.transaction(['transcript', 'watermarks'], 'readwrite');
    const transcript = tx.objectStore('transcript');
    if (clear) {
      const range = IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity]);
      await transcript.delete(range);
    }
    await Promise.all([...rows.map((row) => transcript.put(row)), tx.objectStore('watermarks').put({ sessionId, lastSeq })]);
    await tx.done;
  }

  return {
    append: (sessionId, rows, lastSeq) => write(sessionId, rows, lastSeq, false),
    replace: (sessionId, rows, lastSeq) => write(sessionId, rows, lastSeq, true),
    transcript: (sessionId) => db.getAllFromIndex('transcript', 'bySession', sessionId),
    async lastSeq(sessionId) {
      return (await db.get('watermarks', sessionId))?.lastSeq ?? 0;
    },
    async enqueue(entry) {
      await db.put('outbox', entry);
    },
    pending: (sessionId) =>
      db.getAllFromIndex('outbox', 'bySession', IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity])),
    acknowledge: (cmid) => db.delete('outbox', cmid),
    getMeta: (key) => db.get('meta', key),
    async setMeta(key, value) {
      if (value === undefined) await db.delete('meta', key);
      else await db.put('meta', value, key);
    },
    close: () => db.close(),
  };
}
