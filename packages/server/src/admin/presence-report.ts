import type { PresenceReportRow } from '@parley/protocol';
import type { PresenceHistoryRow } from '../store/store.js';
import { toCsv } from './csv.js';


/** P8: each stretch of one status, clipped to the range, with its reason and duration. */
export function presenceReport(rows: readonly PresenceHistoryRow[], range: { from: number; to: number }, now: number): PresenceReportRow[] {
  return rows.map((row) => {
    const start = Math.max(row.startedAt, range.from);
    const end = Math.min(row.endedAt ?? now, range.to);
    return {
      agentId: row.agentId,
      status: row.status,
      custom: row.custom,
      source: row.source,
      cause: row.cause,
      actor: row.actor,
      startedAt: new Date(row.startedAt).toISOString(),
      durationSeconds: Math.max(0, Math.round((end - start) / 1000)),
    };
  });
}

const COLUMNS: Array<keyof PresenceReportRow> = ['agentId', 'status', 'custom', 'source', 'cause', 'actor', 'startedAt', 'durationSeconds'];

/** P8: the report as CSV. */
export function reportCsv(rows: readonly PresenceReportRow[]): string {
  return toCsv(rows, COLUMNS);
}
