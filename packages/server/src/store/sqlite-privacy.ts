import type Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { attachmentFile, toAttachmentRecord, type AttachmentRow } from './sqlite-attachments.js';
import { toLeftMessage, toRating, type LeftMessageRow, type RatingRow } from './row-mappers.js';
import type { ErasureCounts, ErasureRecord, Store } from './store.js';

type PrivacyMethods = Pick<
  Store,
  | 'attachmentsOfSession'
  | 'ratingOfSession'
  | 'offlineMessagesOfEmail'
  | 'eraseSession'
  | 'deleteSession'
  | 'endedSessionsBefore'
  | 'oldestEndedSessionAt'
  | 'eraseOfflineMessagesOfEmail'
  | 'eraseOptOut'
  | 'logErasure'
  | 'erasures'
>;
type Run = <T>(action: () => T) => Promise<T>;
type SessionCounts = Pick<ErasureCounts, 'messages' | 'attachments' | 'ratings'>;

interface ErasureRow {
  id: number;
  at: number;
  actor: string;
  subject_kind: ErasureRecord['subjectKind'];
  subject_hash: string;
  counts: string;
}

const toErasure = (row: ErasureRow): ErasureRecord => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  subjectKind: row.subject_kind,
  subjectHash: row.subject_hash,
  counts: JSON.parse(row.counts) as ErasureCounts,
});

/**
 * D7 on SQLite: export reads, erasure, the retention purge and the erasure log. Rows go in one
 * transaction; attachment files are deleted after their rows (a crash in between leaves files
 * nothing names, never a row without its file).
 */
export function sqlitePrivacy(db: Database.Database, folder: string, run: { read: Run; write: Run }): PrivacyMethods {
  const statements = {
    attachments: db.prepare<[string], AttachmentRow>('SELECT * FROM attachments WHERE session_id = ? ORDER BY created_at, id'),
    rating: db.prepare<[string], RatingRow>('SELECT * FROM ratings WHERE session_id = ?'),
    offlineOfEmail: db.prepare<[string], LeftMessageRow>('SELECT * FROM offline_messages WHERE lower(email) = lower(?) ORDER BY id DESC'),
    countMessages: db.prepare<[string], { count: number }>("SELECT COUNT(*) AS count FROM events WHERE session_id = ? AND json_extract(body, '$.kind') = 'message'"),
    tombstone: db.prepare(`UPDATE events SET body = '{"kind":"erased"}' WHERE session_id = ? AND json_extract(body, '$.kind') IN ('message', 'rating')`),
    deleteAttachments: db.prepare<[string], { id: string }>('DELETE FROM attachments WHERE session_id = ? RETURNING id'),
    deleteRating: db.prepare('DELETE FROM ratings WHERE session_id = ?'),
    deleteReceipts: db.prepare('DELETE FROM receipts WHERE session_id = ?'),
    anonymise: db.prepare("UPDATE sessions SET browser_id = '', user_id = NULL, identity = NULL, prechat = '{}', start_id = NULL WHERE id = ?"),
    deleteEvents: db.prepare('DELETE FROM events WHERE session_id = ?'),
    deletePasses: db.prepare('DELETE FROM passes WHERE session_id = ?'),
    deleteOffers: db.prepare('DELETE FROM offers WHERE session_id = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    endedBefore: db.prepare<[number, number], { id: string }>(
      "SELECT id FROM sessions s WHERE state = 'ended' AND updated_at <= ? AND NOT EXISTS (SELECT 1 FROM work w WHERE w.session_id = s.id) ORDER BY updated_at, id LIMIT ?",
    ),
    oldestEnded: db.prepare<[], { at: number | null }>("SELECT MIN(updated_at) AS at FROM sessions s WHERE state = 'ended' AND NOT EXISTS (SELECT 1 FROM work w WHERE w.session_id = s.id)"),
    eraseOffline: db.prepare('DELETE FROM offline_messages WHERE lower(email) = lower(?)'),
    eraseOptOut: db.prepare('DELETE FROM opt_outs WHERE browser_id = ?'),
    log: db.prepare<[number, string, string, string, string], ErasureRow>(
      'INSERT INTO erasures (at, actor, subject_kind, subject_hash, counts) VALUES (?, ?, ?, ?, ?) RETURNING *',
    ),
    erasures: db.prepare<[number], ErasureRow>('SELECT * FROM erasures ORDER BY id DESC LIMIT ?'),
  };

  // Rows of one session; resolves with the counts and the attachment files to delete once committed.
  const removeRows = db.transaction((sessionId: string, mode: 'erase' | 'delete'): { counts: SessionCounts; files: string[] } => {
    const messages = statements.countMessages.get(sessionId)?.count ?? 0;
    const attachments = statements.deleteAttachments.all(sessionId).map((row) => row.id);
    const ratings = statements.deleteRating.run(sessionId).changes;
    statements.deleteReceipts.run(sessionId);
    if (mode === 'erase') {
      statements.tombstone.run(sessionId);
      statements.anonymise.run(sessionId);
    } else {
      statements.deleteEvents.run(sessionId);
      statements.deletePasses.run(sessionId);
      statements.deleteOffers.run(sessionId);
      statements.deleteSession.run(sessionId);
    }
    return { counts: { messages, attachments: attachments.length, ratings }, files: attachments.map((id) => attachmentFile(folder, id)) };
  });
  const remove = (sessionId: string, mode: 'erase' | 'delete') =>
    run.write(() => {
      const { counts, files } = removeRows(sessionId, mode);
      for (const file of files) rmSync(file, { force: true });
      return counts;
    });

  return {
    attachmentsOfSession: (sessionId) => run.read(() => statements.attachments.all(sessionId).map(toAttachmentRecord)),
    ratingOfSession: (sessionId) =>
      run.read(() => {
        const row = statements.rating.get(sessionId);
        return row ? toRating(row) : undefined;
      }),
    offlineMessagesOfEmail: (email) => run.read(() => statements.offlineOfEmail.all(email).map(toLeftMessage)),
    eraseSession: (sessionId) => remove(sessionId, 'erase'),
    deleteSession: (sessionId) => remove(sessionId, 'delete'),
    endedSessionsBefore: (before, limit) => run.read(() => statements.endedBefore.all(before, limit).map((row) => row.id)),
    oldestEndedSessionAt: () => run.read(() => statements.oldestEnded.get()?.at ?? undefined),
    eraseOfflineMessagesOfEmail: (email) => run.write(() => statements.eraseOffline.run(email).changes),
    eraseOptOut: (browserId) => run.write(() => statements.eraseOptOut.run(browserId).changes > 0),
    logErasure: (entry) =>
      run.write(() => toErasure(statements.log.get(entry.at, entry.actor, entry.subjectKind, entry.subjectHash, JSON.stringify(entry.counts))!)),
    erasures: (limit) => run.read(() => statements.erasures.all(limit).map(toErasure)),
  };
}
