import type pg from 'pg';
import { toLeftMessage, toRating, type LeftMessageRow, type RatingRow } from '../row-mappers.js';
import type { ErasureCounts, ErasureRecord, Store } from '../store.js';
import { ATTACHMENT_COLUMNS, toAttachmentRecord, type AttachmentRow } from './postgres-attachments.js';

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
type Query = <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<Row[]>;

interface ErasureRow {
  id: string;
  at: number;
  actor: string;
  subject_kind: ErasureRecord['subjectKind'];
  subject_hash: string;
  counts: string;
}

const toErasure = (row: ErasureRow): ErasureRecord => ({
  id: Number(row.id),
  at: Number(row.at),
  actor: row.actor,
  subjectKind: row.subject_kind,
  subjectHash: row.subject_hash,
  counts: JSON.parse(row.counts) as ErasureCounts,
});

const WITHOUT_WORK = 'NOT EXISTS (SELECT 1 FROM work w WHERE w.session_id = s.id)';

/** D7 on PostgreSQL: export reads, erasure (bytes are in the attachments rows, so they go with them), the retention purge and the erasure log. */
export function postgresPrivacy(query: Query, atomically: <T>(work: () => Promise<T>) => Promise<T>): PrivacyMethods {
  const remove = (sessionId: string, mode: 'erase' | 'delete') =>
    atomically(async () => {
      // The session's row first: erasing waits for (and holds off) anything changing the session on any node.
      await query('SELECT id FROM sessions WHERE id = $1 FOR UPDATE', [sessionId]);
      const [counted] = await query<{ count: number }>("SELECT COUNT(*)::int AS count FROM events WHERE session_id = $1 AND body::jsonb->>'kind' = 'message'", [sessionId]);
      const attachments = (await query('DELETE FROM attachments WHERE session_id = $1 RETURNING id', [sessionId])).length;
      const ratings = (await query('DELETE FROM ratings WHERE session_id = $1 RETURNING session_id', [sessionId])).length;
      await query('DELETE FROM receipts WHERE session_id = $1', [sessionId]);
      if (mode === 'erase') {
        await query(`UPDATE events SET body = '{"kind":"erased"}' WHERE session_id = $1 AND body::jsonb->>'kind' IN ('message', 'rating')`, [sessionId]);
        await query("UPDATE sessions SET browser_id = '', user_id = NULL, identity = NULL, prechat = '{}', start_id = NULL WHERE id = $1", [sessionId]);
      } else {
        for (const table of ['events', 'passes', 'offers']) await query(`DELETE FROM ${table} WHERE session_id = $1`, [sessionId]);
        await query('DELETE FROM sessions WHERE id = $1', [sessionId]);
      }
      return { messages: counted?.count ?? 0, attachments, ratings };
    });

  return {
    attachmentsOfSession: async (sessionId) =>
      (await query<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE session_id = $1 ORDER BY created_at, id`, [sessionId])).map(toAttachmentRecord),
    ratingOfSession: async (sessionId) => {
      const [row] = await query<RatingRow>('SELECT * FROM ratings WHERE session_id = $1', [sessionId]);
      return row ? toRating(row) : undefined;
    },
    offlineMessagesOfEmail: async (email) =>
      (await query<LeftMessageRow>('SELECT * FROM offline_messages WHERE lower(email) = lower($1) ORDER BY id DESC', [email])).map(toLeftMessage),
    eraseSession: (sessionId) => remove(sessionId, 'erase'),
    deleteSession: (sessionId) => remove(sessionId, 'delete'),
    endedSessionsBefore: async (before, limit) =>
      (await query<{ id: string }>(`SELECT id FROM sessions s WHERE state = 'ended' AND updated_at <= $1 AND ${WITHOUT_WORK} ORDER BY updated_at, id LIMIT $2`, [before, limit])).map(
        (row) => row.id,
      ),
    oldestEndedSessionAt: async () => {
      const [row] = await query<{ at: string | null }>(`SELECT MIN(updated_at) AS at FROM sessions s WHERE state = 'ended' AND ${WITHOUT_WORK}`);
      return row?.at == null ? undefined : Number(row.at);
    },
    eraseOfflineMessagesOfEmail: async (email) => (await query('DELETE FROM offline_messages WHERE lower(email) = lower($1) RETURNING id', [email])).length,
    eraseOptOut: async (browserId) => (await query('DELETE FROM opt_outs WHERE browser_id = $1 RETURNING browser_id', [browserId])).length > 0,
    logErasure: async (entry) =>
      toErasure(
        (await query<ErasureRow>('INSERT INTO erasures (at, actor, subject_kind, subject_hash, counts) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
          entry.at, entry.actor, entry.subjectKind, entry.subjectHash, JSON.stringify(entry.counts),
        ]))[0]!,
      ),
    erasures: async (limit) => (await query<ErasureRow>('SELECT * FROM erasures ORDER BY id DESC LIMIT $1', [limit])).map(toErasure),
  };
}
