import type Database from 'better-sqlite3';
import { raisedMarks, toRating, type RatingRow } from './row-mappers.js';
import type { ReceiptMarks, Store } from './store.js';

type FeedbackMethods = Pick<Store, 'raiseReceipt' | 'receiptsOf' | 'putRating' | 'ratings'>;
type Run = <T>(action: () => T) => Promise<T>;

/** I3, I4 on SQLite: ratings and read receipts. `read` and `write` are the store's own (its queue, its typed errors). */
export function sqliteFeedback(db: Database.Database, read: Run, write: Run): FeedbackMethods {
  const statements = {
    receipt: db.prepare<[string, string], ReceiptMarks>('SELECT delivered, read FROM receipts WHERE session_id = ? AND reader = ?'),
    receipts: db.prepare<[string], ReceiptMarks & { reader: 'customer' | 'agent' }>('SELECT reader, delivered, read FROM receipts WHERE session_id = ?'),
    putReceipt: db.prepare(
      `INSERT INTO receipts (session_id, reader, delivered, read) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id, reader) DO UPDATE SET delivered = excluded.delivered, read = excluded.read`,
    ),
    putRating: db.prepare(
      `INSERT INTO ratings (session_id, button, agent_id, score, comment, at) VALUES (@sessionId, @button, @agentId, @score, @comment, @at)
       ON CONFLICT (session_id) DO UPDATE SET agent_id = excluded.agent_id, score = excluded.score, comment = excluded.comment, at = excluded.at
       WHERE ratings.score <> excluded.score OR ratings.comment <> excluded.comment`,
    ),
    ratings: db.prepare<[number, number, number], RatingRow>('SELECT * FROM ratings WHERE at >= ? AND at <= ? ORDER BY at DESC, session_id LIMIT ?'),
  };
  // One connection and one statement at a time: read, compare and write cannot interleave with another raise.
  const raise = db.transaction((sessionId: string, reader: string, marks: ReceiptMarks) => {
    const stored = statements.receipt.get(sessionId, reader);
    const next = raisedMarks(stored, marks);
    const changed = next.delivered !== (stored?.delivered ?? 0) || next.read !== (stored?.read ?? 0);
    if (changed) statements.putReceipt.run(sessionId, reader, next.delivered, next.read);
    return { ...next, changed };
  });

  return {
    raiseReceipt: (sessionId, reader, marks) => write(() => raise(sessionId, reader, marks)),
    receiptsOf: (sessionId) =>
      read(() => {
        const marks = { customer: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } };
        for (const row of statements.receipts.all(sessionId)) marks[row.reader] = { delivered: row.delivered, read: row.read };
        return marks;
      }),
    putRating: (rating) => write(() => statements.putRating.run(rating).changes > 0),
    ratings: ({ from, to, limit }) => read(() => statements.ratings.all(from, to, limit).map(toRating)),
  };
}
