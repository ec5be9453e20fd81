import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AttachmentRecord, Store } from './store.js';

export interface AttachmentRow {
  id: string;
  session_id: string;
  upload_key: string;
  uploaded_by: string;
  name: string;
  type: string;
  size: number;
  created_at: number;
}

export const toAttachmentRecord = (row: AttachmentRow): AttachmentRecord => ({
  id: row.id,
  sessionId: row.session_id,
  uploadKey: row.upload_key,
  uploadedBy: row.uploaded_by,
  name: row.name,
  type: row.type,
  size: row.size,
  createdAt: row.created_at,
});

/**
 * Where a SQLite deployment keeps attachment bytes: the folder given, else `attachments/` beside
 * the database file, else (an in-memory database keeps nothing) a fresh temp folder.
 */
export function attachmentFolder(databasePath: string, folder?: string): string {
  const chosen = folder ?? (databasePath === ':memory:' ? mkdtempSync(join(tmpdir(), 'parley-attachments-')) : join(dirname(databasePath), 'attachments'));
  mkdirSync(chosen, { recursive: true, mode: 0o700 });
  return chosen;
}

/** The file holding an attachment's bytes. */
export const attachmentFile = (folder: string, id: string): string => join(folder, `${id}.bin`);

/**
 * I2 on one node: the record in SQLite, the bytes in a file named by the attachment's id (ids
 * are the service's own, never a client's, so they name no other path). The file is written
 * under a temporary name and renamed, so a crash leaves no half file under a real id; a row
 * is only ever inserted for a complete file.
 */
type Run = <T>(action: () => T) => Promise<T>;

export function sqliteAttachments(
  db: Database.Database,
  folder: string,
  run: { read: Run; write: Run },
): Pick<Store, 'addAttachment' | 'getAttachment' | 'readAttachment' | 'oldestAttachmentAt' | 'purgeAttachments'> {
  const statements = {
    insert: db.prepare(
      `INSERT INTO attachments (id, session_id, upload_key, uploaded_by, name, type, size, created_at)
       VALUES (@id, @sessionId, @uploadKey, @uploadedBy, @name, @type, @size, @createdAt)
       ON CONFLICT (session_id, upload_key) DO NOTHING`,
    ),
    byKey: db.prepare<[string, string], AttachmentRow>('SELECT * FROM attachments WHERE session_id = ? AND upload_key = ?'),
    byId: db.prepare<[string], AttachmentRow>('SELECT * FROM attachments WHERE id = ?'),
    oldest: db.prepare<[], { at: number | null }>('SELECT MIN(created_at) AS at FROM attachments'),
    purge: db.prepare<[number], { id: string }>('DELETE FROM attachments WHERE created_at <= ? RETURNING id'),
  };
  const fileOf = (id: string) => attachmentFile(folder, id);

  return {
    addAttachment: (record, bytes) =>
      run.write(() => {
        const earlier = statements.byKey.get(record.sessionId, record.uploadKey);
        if (earlier) return toAttachmentRecord(earlier);
        const part = `${fileOf(record.id)}.part`;
        writeFileSync(part, bytes, { mode: 0o600 });
        renameSync(part, fileOf(record.id));
        let inserted: boolean;
        try {
          inserted = statements.insert.run(record).changes > 0;
        } catch (error) {
          // The row could not be written (a read-only store, M6): no file without its row.
          rmSync(fileOf(record.id), { force: true });
          throw error;
        }
        if (!inserted) {
          // Another upload with the same key won meanwhile: its file stays, this one goes.
          rmSync(fileOf(record.id), { force: true });
          return toAttachmentRecord(statements.byKey.get(record.sessionId, record.uploadKey)!);
        }
        return record;
      }),
    getAttachment: (id) =>
      run.read(() => {
        const row = statements.byId.get(id);
        return row ? toAttachmentRecord(row) : undefined;
      }),
    oldestAttachmentAt: () => run.read(() => statements.oldest.get()?.at ?? undefined),
    purgeAttachments: (before) =>
      run.write(() => {
        const purged = statements.purge.all(before);
        // Rows first, then files: a crash in between leaves files nothing names, never a row without its file.
        for (const { id } of purged) rmSync(fileOf(id), { force: true });
        return purged.length;
      }),
    readAttachment: (id) =>
      run.read(() => {
        if (!statements.byId.get(id) || !existsSync(fileOf(id))) return undefined;
        return new Uint8Array(readFileSync(fileOf(id)));
      }),
  };
}
