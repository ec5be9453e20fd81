import type { LeftMessage, Rating } from '@parley/protocol';
import type { PassRecord, ReceiptMarks } from './store.js';

// Rows as both engines return them (snake_case columns), and the records they stand for.

export interface LeftMessageRow {
  id: number;
  button: string;
  name: string;
  email: string;
  text: string;
  at: number;
  handled_at: number | null;
  handled_by: string | null;
}

export const toLeftMessage = (row: LeftMessageRow): LeftMessage => ({
  id: row.id,
  button: row.button,
  name: row.name,
  email: row.email,
  text: row.text,
  at: row.at,
  handledAt: row.handled_at,
  handledBy: row.handled_by,
});

export interface PassRow {
  session_id: string;
  agent_id: string;
  reason: PassRecord['reason'];
  at: number;
  until: number;
}

export const toPass = (row: PassRow): PassRecord => ({ sessionId: row.session_id, agentId: row.agent_id, reason: row.reason, at: row.at, until: row.until });

export interface RatingRow {
  session_id: string;
  button: string;
  agent_id: string | null;
  score: number;
  comment: string;
  at: number;
}

export const toRating = (row: RatingRow): Rating => ({ sessionId: row.session_id, button: row.button, agentId: row.agent_id, score: row.score, comment: row.comment, at: row.at });

/** I4: a reader's raised marks; `read` implies `delivered`. */
export const raisedMarks = (stored: ReceiptMarks | undefined, marks: ReceiptMarks): ReceiptMarks => {
  const read = Math.max(stored?.read ?? 0, marks.read);
  return { delivered: Math.max(stored?.delivered ?? 0, marks.delivered, read), read };
};
