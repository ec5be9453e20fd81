import type { PresenceReportRow } from '@parley/protocol';
import type { PresenceHistoryRow } from '../store/store.js';


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

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function toCsv(rows: readonly PresenceReportRow[]): string {
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => cell(row[column])).join(','))].join('\r\n') + '\r\n';
}
