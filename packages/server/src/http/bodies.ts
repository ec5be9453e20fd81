import * as v from 'valibot';
import { ERROR_CODES, isBlankText, LIMITS } from '@parley/protocol';

/**
 * Bodies, queries and answers of the HTTP API (docs/protocol.md "HTTP",
 * docs/server.md "Admin API"). Requests are validated against these; the
 * OpenAPI description at /openapi.json is generated from them.
 */
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idLength), v.regex(/^[\w.:@-]+$/));
/** Message text: what the socket takes, at least one visible character. */
const text = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.textLength), v.check((value) => !isBlankText(value), 'text is blank'));
const epochMs = v.pipe(v.number(), v.integer());
/** Query values arrive as text. */
const epochMsQuery = v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'ms since the epoch'), v.transform(Number));

// Requests.
export const AvailabilityQuery = v.object({ button: id });
export const OfflineMessageBody = v.strictObject({
  button: id,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  email: v.pipe(v.string(), v.trim(), v.email(), v.maxLength(200)),
  text,
});
export const WindowBody = v.strictObject({ startsAt: epochMs, endsAt: epochMs, message: v.pipe(v.string(), v.maxLength(500)) });
export const WindowParams = v.object({ windowId: id });
export const ReadOnlyBody = v.strictObject({ on: v.boolean() });
export const OfficeParams = v.object({ office: id });
export const OfficeAwayBody = v.strictObject({ agentId: v.optional(id) });
export const ReleaseBody = v.strictObject({ sessionId: id, agentId: id });
export const PresenceReportQuery = v.object({
  from: v.optional(epochMsQuery),
  to: v.optional(epochMsQuery),
  format: v.optional(v.picklist(['json', 'csv']), 'json'),
});
export const AgentTokenBody = v.strictObject({ agentId: id, ttlHours: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(24 * 30)), 12) });
export const AgentParams = v.object({ agentId: id });
export const AdminTokenBody = v.strictObject({ ttlHours: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(24)), 1) });
export const NotificationBody = v.strictObject({ sessionId: id, text, longevity: v.optional(v.boolean(), false) });
export const ClockBody = v.strictObject({ advanceMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(400 * 24 * 3600 * 1000)) });

// Answers (described in the OpenAPI document; the handlers' types follow them).
const MaintenanceWindow = v.object({ id, startsAt: epochMs, endsAt: epochMs, message: v.string() });
export const ErrorAnswer = v.object({ error: v.object({ code: v.picklist(ERROR_CODES), message: v.string() }) });
export const AvailabilityAnswer = v.object({
  button: id,
  online: v.boolean(),
  reason: v.picklist(['agents', 'capacity', 'maintenance', 'read-only']),
  window: v.optional(MaintenanceWindow),
});
export const TranscriptAnswer = v.object({
  sessionId: id,
  state: v.picklist(['waiting', 'active', 'inactive', 'ended']),
  lastSeq: v.number(),
  events: v.array(v.object({ sessionId: id, seq: v.number(), at: epochMs, event: v.looseObject({ kind: v.string() }) })),
});
export const StoredAnswer = v.object({ stored: v.literal(true) });
export const HealthAnswer = v.object({ ok: v.boolean(), starting: v.boolean(), draining: v.boolean(), store: v.optional(v.picklist(['ok', 'unreachable'])) });
export const ReadyAnswer = v.object({ ready: v.boolean() });
export const WindowsAnswer = v.object({ windows: v.array(MaintenanceWindow) });
export const WindowAnswer = MaintenanceWindow;
export const CancelledAnswer = v.object({ cancelled: id });
export const ReadOnlyAnswer = v.object({ readOnly: v.boolean() });
export const DrainAnswer = v.object({ draining: v.literal(true) });
export const AwayAnswer = v.object({ away: v.array(id) });
export const StuckWorkAnswer = v.object({ work: v.array(v.object({ sessionId: id, agentId: id, since: epochMs })) });
export const OptOutsAnswer = v.object({ optOuts: v.array(v.object({ browserId: id, sessionId: id, keyword: v.string(), at: epochMs })) });
export const ReleasedAnswer = v.object({ released: v.object({ sessionId: id, agentId: id }) });
export const PresenceReportAnswer = v.object({
  rows: v.array(
    v.object({
      agentId: id,
      status: v.string(),
      custom: v.nullable(v.string()),
      source: v.string(),
      cause: v.string(),
      actor: v.string(),
      startedAt: v.pipe(v.string(), v.isoTimestamp()),
      durationSeconds: v.number(),
    }),
  ),
});
export const ConfigAnswer = v.looseObject({ secret: v.literal('(redacted)'), adminToken: v.literal('(redacted)') });
export const RevokedAnswer = v.object({ revoked: id });
export const TokenAnswer = v.object({ token: v.string() });
export const NotificationAnswer = v.object({ sessionId: id, state: v.picklist(['waiting', 'active', 'inactive', 'ended']) });
export const ClockAnswer = v.object({ now: epochMs });
