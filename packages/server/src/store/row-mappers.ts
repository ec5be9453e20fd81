import type { LeftMessage } from '@parley/protocol';
import type { PassRecord } from './store.js';

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
