import type pg from 'pg';
import type { AttachmentRecord, Store } from '../store.js';

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

export const ATTACHMENT_COLUMNS = 'id, session_id, upload_key, uploaded_by, name, type, size, created_at';
export const toAttachmentRecord = (row: AttachmentRow): AttachmentRecord => ({
  id: row.id,
  sessionId: row.session_id,
  uploadKey: row.upload_key,
  uploadedBy: row.uploaded_by,
  name: row.name,
  type: row.type,
  size: Number(row.size),
  createdAt: Number(row.created_at),
});

type Query = <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<Row[]>;

/**
 * I2 on several nodes: record and bytes (`bytea`) in the shared database, so every node serves
 * every attachment. The unique (session, upload key) makes a retried upload store nothing more.
 */
export function postgresAttachments(query: Query): Pick<Store, 'addAttachment' | 'getAttachment' | 'readAttachment' | 'oldestAttachmentAt' | 'purgeAttachments'> {
  return {
    async addAttachment(record, bytes) {
      await query(
        `INSERT INTO attachments (${ATTACHMENT_COLUMNS}, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (session_id, upload_key) DO NOTHING`,
        [record.id, record.sessionId, record.uploadKey, record.uploadedBy, record.name, record.type, record.size, record.createdAt, Buffer.from(bytes)],
      );
      const [stored] = await query<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE session_id = $1 AND upload_key = $2`, [record.sessionId, record.uploadKey]);
      return toAttachmentRecord(stored!);
    },
    async getAttachment(id) {
      const [row] = await query<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1`, [id]);
      return row ? toAttachmentRecord(row) : undefined;
    },
    async oldestAttachmentAt() {
      const [row] = await query<{ at: string | null }>('SELECT MIN(created_at) AS at FROM attachments');
      return row?.at == null ? undefined : Number(row.at);
    },
    async purgeAttachments(before) {
      return (await query<{ id: string }>('DELETE FROM attachments WHERE created_at <= $1 RETURNING id', [before])).length;
    },
    async readAttachment(id) {
      const [row] = await query<{ bytes: Buffer }>('SELECT bytes FROM attachments WHERE id = $1', [id]);
      return row ? new Uint8Array(row.bytes) : undefined;
    },
  };
}
