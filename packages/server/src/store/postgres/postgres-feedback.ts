import type pg from 'pg';
import { raisedMarks, toRating, type RatingRow } from '../row-mappers.js';
import type { ReceiptMarks, Store } from '../store.js';

type FeedbackMethods = Pick<Store, 'raiseReceipt' | 'receiptsOf' | 'putRating' | 'ratings'>;
type Query = <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<Row[]>;

/**
 * I3, I4 on PostgreSQL: ratings and read receipts. A raise reads the row `FOR UPDATE` in a transaction of
 * its own (or the caller's), so raises from several nodes at once apply one after another and none moves a mark back.
 */
export function postgresFeedback(query: Query, atomically: <T>(work: () => Promise<T>) => Promise<T>): FeedbackMethods {
  return {
    raiseReceipt: (sessionId, reader, marks) =>
      atomically(async () => {
        // The row exists before it is locked, so two first raises at once do not both insert.
        await query('INSERT INTO receipts (session_id, reader, delivered, read) VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING', [sessionId, reader]);
        const [stored] = await query<ReceiptMarks>('SELECT delivered, read FROM receipts WHERE session_id = $1 AND reader = $2 FOR UPDATE', [sessionId, reader]);
        const next = raisedMarks(stored, marks);
        const changed = next.delivered !== (stored?.delivered ?? 0) || next.read !== (stored?.read ?? 0);
        if (changed) await query('UPDATE receipts SET delivered = $3, read = $4 WHERE session_id = $1 AND reader = $2', [sessionId, reader, next.delivered, next.read]);
        return { ...next, changed };
      }),
    receiptsOf: async (sessionId) => {
      const marks = { customer: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } };
      const rows = await query<ReceiptMarks & { reader: 'customer' | 'agent' }>('SELECT reader, delivered, read FROM receipts WHERE session_id = $1', [sessionId]);
      for (const row of rows) marks[row.reader] = { delivered: row.delivered, read: row.read };
      return marks;
    },
    putRating: async (rating) =>
      (
        await query(
          `INSERT INTO ratings (session_id, button, agent_id, score, comment, at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (session_id) DO UPDATE SET agent_id = excluded.agent_id, score = excluded.score, comment = excluded.comment, at = excluded.at
           WHERE ratings.score <> excluded.score OR ratings.comment <> excluded.comment
           RETURNING session_id`,
          [rating.sessionId, rating.button, rating.agentId, rating.score, rating.comment, rating.at],
        )
      ).length > 0,
    ratings: async ({ from, to, limit }) =>
      (await query<RatingRow>('SELECT * FROM ratings WHERE at >= $1 AND at <= $2 ORDER BY at DESC, session_id LIMIT $3', [from, to, limit])).map(toRating),
  };
}
