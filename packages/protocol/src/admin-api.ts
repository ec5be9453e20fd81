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

/** S8: a browser whose customer opted out: the session and keyword it first did so with, and the latest time. */
export interface OptOut {
  browserId: string;
  sessionId: string;
  keyword: string;
  /** ms since the epoch. */
  at: number;
}

/** C2: a message a customer left while nobody could answer, as admins list and export it. */
export interface LeftMessage {
  id: number;
  button: string;
  name: string;
  email: string;
  text: string;
  /** When it was left, ms since the epoch. */
  at: number;
  /** When an admin marked it handled, or null while it is open. */
  handledAt: number | null;
  handledBy: string | null;
}

/** I3: a customer's rating of an ended chat, as admins list and export it. */
export interface Rating {
  sessionId: string;
  button: string;
  /** The agent who last held the chat, or null when none did. */
  agentId: string | null;
  /** 1 to 5. */
  score: number;
  comment: string;
  /** When it was given (or last replaced), ms since the epoch. */
  at: number;
}
