/** Bodies of the admin HTTP API that a console reads (docs/server.md, "Admin API"). */

/** P8: one stretch of one status in the presence report, clipped to the report's range. */
export interface PresenceReportRow {
  agentId: string;
  status: string;
  custom: string | null;
  source: string;
  cause: string;
  actor: string;
  /** ISO 8601. */
  startedAt: string;
  durationSeconds: number;
}

/** P5: ended work that still holds an agent's capacity. */
export interface StuckWork {
  sessionId: string;
  agentId: string;
  /** ms since the epoch. */
  since: number;
}
