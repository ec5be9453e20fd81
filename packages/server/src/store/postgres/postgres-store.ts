import pg from 'pg';
import type { MaintenanceWindow, SequencedEvent, SessionEvent, VerifiedIdentity } from '@parley/protocol';
import type { PresenceState } from '../../presence/presence-rules.js';
import type { ConnectionRecord, OfferRecord, SessionRecord, Store, StoredDeadline, WorkRecord } from '../store.js';
import { TransactionScope } from '../transaction-scope.js';
import { isRetryable, typedError } from './postgres-errors.js';
import { migratePostgres } from './postgres-migrate.js';
import { postgresAttachments } from './postgres-attachments.js';
import { toLeftMessage, toPass, type LeftMessageRow, type PassRow } from '../row-mappers.js';
import { postgresFeedback } from './postgres-feedback.js';
import { postgresWebhooks } from './postgres-webhooks.js';
import { postgresPrivacy } from './postgres-privacy.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** Connections in the pool (each open transaction holds one). */
  poolSize?: number;
  onError?: (error: unknown) => void;
}

/** What a running store adds for the cluster's own bookkeeping and tests. */
export interface PostgresStore extends Store {
  readonly pool: pg.Pool;
}

// Advisory lock namespaces (the two-key form): one per kind of thing held.
const LOCK_AGENT = 1;
const LOCK_ROUTING = 2;
const TRANSACTION_ATTEMPTS = 8;

// BIGINT columns hold times in ms: small enough for a JavaScript number.
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/**
 * The store on PostgreSQL, shared by every node. Same contract as SQLite
 * (`store-contract.ts`); what makes several nodes safe is here: a session's
 * row is locked while it changes (seq, cmid, state), an agent and the routing
 * pass are held with advisory locks, and a due deadline is claimed with
 * `FOR UPDATE SKIP LOCKED` so exactly one node runs it, in the transaction
 * that carries out its effects.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000, types });
  // An idle connection dropped by a restart is reported here; the next query gets a new one.
  pool.on('error', (error) => options.onError?.(error));
  await migratePostgres(pool);

  const scope = new TransactionScope<pg.PoolClient>();
  const query = async <Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> => {
    const open = scope.current();
    try {
      return (await (open ? open.connection : pool).query<Row>(sql, params)).rows;
    } catch (error) {
      throw typedError(error);
    }
  };
  const one = async <Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row | undefined> => (await query<Row>(sql, params))[0];

  const transaction = async <T>(work: () => Promise<T>): Promise<T> => {
    if (scope.current()) return work();
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw typedError(error);
      }
      const open = { connection: client, afterCommit: [] as Array<() => void> };
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await scope.run(open, work);
        await client.query('COMMIT');
        scope.finished(open, true);
        return result;
      } catch (error) {
        scope.finished(open, false);
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        if (attempt < TRANSACTION_ATTEMPTS && isRetryable(error)) continue;
        throw typedError(error);
      } finally {
        // A connection that failed to roll back is closed rather than handed to the next caller.
        client.release(broken instanceof Error ? broken : undefined);
      }
    }
  };
  // Statements that must see one state: a transaction of their own unless the caller has one.
  const atomically = <T>(work: () => Promise<T>): Promise<T> => transaction(work);

  const store: PostgresStore = {
    engine: 'postgres',
    pool,
    transaction,
    afterCommit: (callback) => scope.afterCommit(callback),
    inTransaction: () => scope.current() !== undefined,
    detached: (work) => scope.outside(work),
    lockSession: async (id) => mapOptional(await one<SessionRow>('SELECT * FROM sessions WHERE id = $1 FOR UPDATE', [id]), toSession),
    lockAgent: async (agentId) => void (await query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_AGENT, agentId])),
    lockRouting: async (office) => void (await query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_ROUTING, office])),
    claimDeadline: async (now) =>
      toDeadlineOptional(await one<DeadlineRow>('SELECT subject, kind, due_at FROM deadlines WHERE due_at <= $1 ORDER BY due_at, subject, kind LIMIT 1 FOR UPDATE SKIP LOCKED', [now])),
    probe: async () => void (await query("INSERT INTO meta (key, value) VALUES ('probe', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(Date.now())])),

    claimMeta: async (key, value) => {
      await query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      return (await one<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))!.value;
    },
    getMeta: async (key) => (await one<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))?.value,
    setMeta: async (key, value) => void (await query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value])),

    createSession: async (session) => {
      const inserted = await query(
        `INSERT INTO sessions (id, button, office, browser_id, state, origin, prechat, agent_id, previous_agent_id, last_seq,
           awaiting_reply, awaiting_first_reply, created_at, updated_at, start_id, user_id, identity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (browser_id, start_id) WHERE start_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [session.id, session.button, session.office, session.browserId, session.state, session.origin, JSON.stringify(session.prechat), session.agentId,
          session.previousAgentId, session.lastSeq, session.awaitingReply, session.awaitingFirstReply, session.createdAt, session.updatedAt, session.startId ?? null,
          session.userId ?? null, session.identity ? JSON.stringify(session.identity) : null],
      );
      if (inserted.length === 1 || !session.startId) return { ...session, startId: session.startId ?? null, userId: session.userId ?? null, identity: session.identity ?? null };
      // Another node stored this start first (the same browser, the same start id): that one is the session.
      return toSession((await one<SessionRow>('SELECT * FROM sessions WHERE browser_id = $1 AND start_id = $2', [session.browserId, session.startId]))!);
    },
    sessionOfStart: async (browserId, startId) => mapOptional(await one<SessionRow>('SELECT * FROM sessions WHERE browser_id = $1 AND start_id = $2', [browserId, startId]), toSession),
    openSessionOfBrowser: async (browserId) =>
      mapOptional(
        await one<SessionRow>("SELECT * FROM sessions WHERE browser_id = $1 AND origin = 'customer' AND state <> 'ended' ORDER BY created_at DESC, queue_order DESC LIMIT 1", [browserId]),
        toSession,
      ),
    openSessionOfUser: async (userId) =>
      mapOptional(await one<SessionRow>("SELECT * FROM sessions WHERE user_id = $1 AND state <> 'ended' ORDER BY created_at DESC, queue_order DESC LIMIT 1", [userId]), toSession),
    countWaiting: async (button) => (await one<{ count: number }>("SELECT COUNT(*)::int AS count FROM sessions WHERE state = 'waiting' AND button = $1", [button]))?.count ?? 0,
    getSession: async (id) => mapOptional(await one<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]), toSession),
    updateSession: async (id, patch) => {
      const entries = Object.entries(patch).filter(([key, value]) => value !== undefined && key in SESSION_COLUMNS);
      if (entries.length === 0) return;
      const assignments = entries.map(([key], index) => `${SESSION_COLUMNS[key as keyof typeof SESSION_COLUMNS]} = $${index + 2}`).join(', ');
      await query(`UPDATE sessions SET ${assignments} WHERE id = $1`, [id, ...entries.map(([key, value]) => (key === 'prechat' || key === 'identity' ? JSON.stringify(value) : value))]);
    },
    sessionsInState: async (state) => (await query<SessionRow>('SELECT * FROM sessions WHERE state = $1 ORDER BY created_at, queue_order', [state])).map(toSession),
    latestSessionOfBrowser: async (browserId) =>
      mapOptional(await one<SessionRow>('SELECT * FROM sessions WHERE browser_id = $1 ORDER BY created_at DESC, queue_order DESC LIMIT 1', [browserId]), toSession),
    countSessionsByState: async () => Object.fromEntries((await query<{ state: string; count: number }>('SELECT state, COUNT(*)::int AS count FROM sessions GROUP BY state')).map((row) => [row.state, row.count])),

    appendEvent: (sessionId, event, at, cmid) =>
      atomically(async () => {
        // The session's row is the lock: one append per session at a time, on every node, so seqs
        // are gap-free; the cmid is checked only once the lock is held, so two nodes racing with the
        // same cmid store it once.
        const locked = await one<{ last_seq: number }>('SELECT last_seq FROM sessions WHERE id = $1 FOR UPDATE', [sessionId]);
        if (!locked) throw new Error(`no session ${sessionId}`);
        if (cmid !== undefined) {
          const existing = await one<{ seq: number }>('SELECT seq FROM events WHERE session_id = $1 AND cmid = $2', [sessionId, cmid]);
          if (existing) return { seq: existing.seq, duplicate: true };
        }
        const seq = locked.last_seq + 1;
        await query(
          `WITH bumped AS (UPDATE sessions SET last_seq = $2 WHERE id = $1)
           INSERT INTO events (session_id, seq, at, body, cmid) VALUES ($1, $2, $3, $4, $5)`,
          [sessionId, seq, at, JSON.stringify(event), cmid ?? null],
        );
        return { seq, duplicate: false };
      }),
    eventsAfter: async (sessionId, seq) =>
      (await query<{ seq: number; at: number; body: string }>('SELECT seq, at, body FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq', [sessionId, seq])).map(
        (row): SequencedEvent => ({ sessionId, seq: row.seq, at: row.at, event: JSON.parse(row.body) as SessionEvent }),
      ),
    seqOfCmid: async (sessionId, cmid) => (await one<{ seq: number }>('SELECT seq FROM events WHERE session_id = $1 AND cmid = $2', [sessionId, cmid]))?.seq,
    countMessages: async () => (await one<{ count: number }>(`SELECT COUNT(*)::int AS count FROM events WHERE body LIKE '{"kind":"message"%'`))?.count ?? 0,

    setDeadline: async ({ subject, kind, dueAt }) =>
      void (await query('INSERT INTO deadlines (subject, kind, due_at) VALUES ($1, $2, $3) ON CONFLICT (subject, kind) DO UPDATE SET due_at = excluded.due_at', [subject, kind, dueAt])),
    clearDeadline: async (subject, kind, dueAt) =>
      void (await query('DELETE FROM deadlines WHERE subject = $1 AND kind = $2 AND ($3::bigint IS NULL OR due_at = $3)', [subject, kind, dueAt ?? null])),
    dueDeadlines: async (now) => (await query<DeadlineRow>('SELECT subject, kind, due_at FROM deadlines WHERE due_at <= $1 ORDER BY due_at, subject, kind', [now])).map(toDeadline),
    nextDeadline: async () => toDeadlineOptional(await one<DeadlineRow>('SELECT subject, kind, due_at FROM deadlines ORDER BY due_at LIMIT 1')),

    putWork: async (work) =>
      void (await query(
        `INSERT INTO work (session_id, agent_id, phase, since) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id, agent_id) DO UPDATE SET phase = excluded.phase, since = excluded.since`,
        [work.sessionId, work.agentId, work.phase, work.since],
      )),
    removeWork: async (sessionId, agentId) => void (await query('DELETE FROM work WHERE session_id = $1 AND agent_id = $2', [sessionId, agentId])),
    workOfAgent: async (agentId) => (await query<WorkRow>('SELECT * FROM work WHERE agent_id = $1 ORDER BY since, session_id', [agentId])).map(toWork),
    workOfSession: async (sessionId) => (await query<WorkRow>('SELECT * FROM work WHERE session_id = $1 ORDER BY since, agent_id', [sessionId])).map(toWork),
    allWork: async () => (await query<WorkRow>('SELECT * FROM work ORDER BY since, session_id, agent_id')).map(toWork),
    workloads: async () => countsOf(await query<CountRow>("SELECT agent_id, COUNT(*) AS count FROM work WHERE phase <> 'consult' GROUP BY agent_id")),

    putOffer: async (offer) =>
      void (await query('INSERT INTO offers (id, session_id, agent_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        offer.id, offer.sessionId, offer.agentId, offer.createdAt, offer.expiresAt,
      ])),
    getOffer: async (id) => mapOptional(await one<OfferRow>('SELECT * FROM offers WHERE id = $1', [id]), toOffer),
    deleteOffer: async (id) => (await query('DELETE FROM offers WHERE id = $1 RETURNING id', [id])).length > 0,
    offersOfAgent: async (agentId) => (await query<OfferRow>('SELECT * FROM offers WHERE agent_id = $1 ORDER BY created_at, id', [agentId])).map(toOffer),
    offersOfSession: async (sessionId) => (await query<OfferRow>('SELECT * FROM offers WHERE session_id = $1 ORDER BY created_at, id', [sessionId])).map(toOffer),
    offerCounts: async () => countsOf(await query<CountRow>('SELECT agent_id, COUNT(*) AS count FROM offers GROUP BY agent_id')),

    putPass: async (pass) =>
      void (await query(
        `INSERT INTO passes (session_id, agent_id, reason, at, until) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, agent_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, until = excluded.until`,
        [pass.sessionId, pass.agentId, pass.reason, pass.at, pass.until],
      )),
    passesOfSession: async (sessionId) => (await query<PassRow>('SELECT * FROM passes WHERE session_id = $1 ORDER BY at, agent_id', [sessionId])).map(toPass),
    removePasses: async (match) =>
      void (await ('sessionId' in match
        ? query('DELETE FROM passes WHERE session_id = $1', [match.sessionId])
        : query('DELETE FROM passes WHERE agent_id = $1 AND reason = $2', [match.agentId, match.reason]))),

    heartbeat: async (nodeId, at) =>
      // xmax = 0 only on a row this statement inserted: the node had none.
      (await one<{ inserted: boolean }>('INSERT INTO nodes (id, heartbeat_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at RETURNING (xmax = 0) AS inserted', [nodeId, at]))?.inserted !== true,
    addConnection: async (connection) =>
      void (await query('INSERT INTO agent_connections (id, node_id, agent_id, browser_id, opened_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING', [
        connection.id, connection.nodeId, connection.agentId, connection.browserId, connection.openedAt,
      ])),
    removeConnection: async (id) => void (await query('DELETE FROM agent_connections WHERE id = $1', [id])),
    connectionsOfAgent: async (agentId, aliveSince) =>
      (
        await query<ConnectionRow>(
          'SELECT c.* FROM agent_connections c JOIN nodes n ON n.id = c.node_id WHERE c.agent_id = $1 AND n.heartbeat_at >= $2 ORDER BY c.opened_at, c.id',
          [agentId, aliveSince],
        )
      ).map(toConnection),
    connectedAgents: async (aliveSince) =>
      (await query<{ agent_id: string }>('SELECT DISTINCT c.agent_id FROM agent_connections c JOIN nodes n ON n.id = c.node_id WHERE n.heartbeat_at >= $1 ORDER BY c.agent_id', [aliveSince])).map(
        (row) => row.agent_id,
      ),
    reapNodes: (deadBefore, except) =>
      atomically(async () => {
        // SKIP LOCKED: of nodes reaping at once, each dead node is reaped by one.
        const dead = (await query<{ id: string }>('SELECT id FROM nodes WHERE heartbeat_at < $1 AND id <> $2 FOR UPDATE SKIP LOCKED', [deadBefore, except])).map((row) => row.id);
        if (dead.length === 0) return [];
        const lost = await query<{ agent_id: string }>('DELETE FROM agent_connections WHERE node_id = ANY($1) RETURNING agent_id', [dead]);
        await query('DELETE FROM nodes WHERE id = ANY($1)', [dead]);
        return [...new Set(lost.map((row) => row.agent_id))].sort();
      }),

    getPresence: async (agentId) => mapOptional(await one<{ body: string }>('SELECT body FROM presence WHERE agent_id = $1', [agentId]), (row) => JSON.parse(row.body) as PresenceState),
    presences: async () => (await query<{ body: string }>('SELECT body FROM presence ORDER BY agent_id')).map((row) => JSON.parse(row.body) as PresenceState),
    putPresence: (state, statusChanged) =>
      atomically(async () => {
        await query('INSERT INTO presence (agent_id, body) VALUES ($1, $2) ON CONFLICT (agent_id) DO UPDATE SET body = excluded.body', [state.agentId, JSON.stringify(state)]);
        if (!statusChanged) return;
        const { source, cause, actor, at } = state.reason;
        await query('UPDATE presence_history SET ended_at = $1 WHERE agent_id = $2 AND ended_at IS NULL', [at, state.agentId]);
        await query('INSERT INTO presence_history (agent_id, status, custom, source, cause, actor, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          state.agentId, state.status, state.custom ?? null, source, cause, actor, at,
        ]);
      }),
    presenceHistory: async ({ from, to }) =>
      (await query<HistoryRow>('SELECT * FROM presence_history WHERE started_at <= $1 AND (ended_at IS NULL OR ended_at >= $2) ORDER BY started_at, id', [to, from])).map((row) => ({
        agentId: row.agent_id,
        status: row.status,
        custom: row.custom,
        source: row.source,
        cause: row.cause,
        actor: row.actor,
        startedAt: row.started_at,
        endedAt: row.ended_at,
      })),

    addOfflineMessage: async (message) =>
      void (await query('INSERT INTO offline_messages (button, name, email, text, at) VALUES ($1, $2, $3, $4, $5)', [message.button, message.name, message.email, message.text, message.at])),
    countOfflineMessages: async () => (await one<{ count: number }>('SELECT COUNT(*)::int AS count FROM offline_messages'))?.count ?? 0,
    oldestOfflineMessageAt: async () => (await one<{ at: number }>('SELECT at FROM offline_messages ORDER BY at LIMIT 1'))?.at,
    purgeOfflineMessages: async (before) => void (await query('DELETE FROM offline_messages WHERE at <= $1', [before])),
    listOfflineMessages: async ({ status, limit, before }) =>
      (
        await query<LeftMessageRow>(
          `SELECT * FROM offline_messages
           WHERE ($1 = 'all' OR ($1 = 'open' AND handled_at IS NULL) OR ($1 = 'handled' AND handled_at IS NOT NULL)) AND id < $2
           ORDER BY id DESC LIMIT $3`,
          [status, before ?? Number.MAX_SAFE_INTEGER, limit],
        )
      ).map(toLeftMessage),
    markOfflineMessage: async (id, handled) =>
      mapOptional(
        await one<LeftMessageRow>('UPDATE offline_messages SET handled_at = $1, handled_by = $2 WHERE id = $3 RETURNING *', [handled?.at ?? null, handled?.by ?? null, id]),
        toLeftMessage,
      ),
    recordOptOut: async (browserId, sessionId, keyword, at) =>
      void (await query('INSERT INTO opt_outs (browser_id, session_id, keyword, at) VALUES ($1, $2, $3, $4) ON CONFLICT (browser_id) DO UPDATE SET at = excluded.at', [
        browserId, sessionId, keyword, at,
      ])),
    optOuts: async () =>
      (await query<{ browser_id: string; session_id: string; keyword: string; at: string }>('SELECT * FROM opt_outs ORDER BY at DESC, browser_id')).map((row) => ({
        browserId: row.browser_id,
        sessionId: row.session_id,
        keyword: row.keyword,
        at: Number(row.at),
      })),

    ...postgresFeedback(query, atomically),
    ...postgresWebhooks(query, atomically),

    addWindow: async (window, createdAt) =>
      void (await query('INSERT INTO maintenance_windows (id, starts_at, ends_at, message, created_at) VALUES ($1, $2, $3, $4, $5)', [window.id, window.startsAt, window.endsAt, window.message, createdAt])),
    deleteWindow: async (id) => (await query<{ id: string }>('DELETE FROM maintenance_windows WHERE id = $1 RETURNING id', [id])).length > 0,
    windows: async () =>
      (await query<{ id: string; starts_at: number; ends_at: number; message: string }>('SELECT id, starts_at, ends_at, message FROM maintenance_windows ORDER BY starts_at, id')).map(
        (row): MaintenanceWindow => ({ id: row.id, startsAt: row.starts_at, endsAt: row.ends_at, message: row.message }),
      ),

    sessionsOfCustomer: async (customer) =>
      (
        await query<SessionRow>(
          `SELECT * FROM sessions WHERE ${'browserId' in customer ? 'browser_id' : 'user_id'} = $1 ORDER BY created_at, queue_order`,
          ['browserId' in customer ? customer.browserId : customer.userId],
        )
      ).map(toSession),

    ...postgresAttachments(query),
    ...postgresPrivacy(query, atomically),

    close: () => void pool.end().catch(() => {}),
  };
  return store;
}

const SESSION_COLUMNS: Record<keyof Omit<SessionRecord, 'id' | 'lastSeq'>, string> = {
  button: 'button',
  office: 'office',
  browserId: 'browser_id',
  state: 'state',
  origin: 'origin',
  prechat: 'prechat',
  agentId: 'agent_id',
  previousAgentId: 'previous_agent_id',
  awaitingReply: 'awaiting_reply',
  awaitingFirstReply: 'awaiting_first_reply',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  startId: 'start_id',
  userId: 'user_id',
  identity: 'identity',
};

interface SessionRow {
  id: string;
  button: string;
  office: string;
  browser_id: string;
  state: SessionRecord['state'];
  origin: SessionRecord['origin'];
  prechat: string;
  agent_id: string | null;
  previous_agent_id: string | null;
  last_seq: number;
  awaiting_reply: boolean;
  awaiting_first_reply: boolean;
  created_at: number;
  updated_at: number;
  start_id: string | null;
  user_id: string | null;
  identity: string | null;
}
interface WorkRow {
  session_id: string;
  agent_id: string;
  phase: WorkRecord['phase'];
  since: number;
}
interface OfferRow {
  id: string;
  session_id: string;
  agent_id: string;
  created_at: number;
  expires_at: number;
}
interface ConnectionRow {
  id: string;
  node_id: string;
  agent_id: string;
  browser_id: string;
  opened_at: number;
}
interface DeadlineRow {
  subject: string;
  kind: string;
  due_at: number;
}
interface HistoryRow {
  agent_id: string;
  status: string;
  custom: string | null;
  source: string;
  cause: string;
  actor: string;
  started_at: number;
  ended_at: number | null;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  button: row.button,
  office: row.office,
  browserId: row.browser_id,
  state: row.state,
  origin: row.origin,
  prechat: JSON.parse(row.prechat) as Record<string, string>,
  agentId: row.agent_id,
  previousAgentId: row.previous_agent_id,
  lastSeq: row.last_seq,
  awaitingReply: row.awaiting_reply,
  awaitingFirstReply: row.awaiting_first_reply,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startId: row.start_id,
  userId: row.user_id,
  identity: row.identity === null ? null : (JSON.parse(row.identity) as VerifiedIdentity),
});
/** COUNT(*) is a bigint, which pg returns as a string. */
interface CountRow {
  agent_id: string;
  count: string;
}
const countsOf = (rows: readonly CountRow[]): Record<string, number> => Object.fromEntries(rows.map((row) => [row.agent_id, Number(row.count)]));
const toWork = (row: WorkRow): WorkRecord => ({ sessionId: row.session_id, agentId: row.agent_id, phase: row.phase, since: row.since });
const toOffer = (row: OfferRow): OfferRecord => ({ id: row.id, sessionId: row.session_id, agentId: row.agent_id, createdAt: row.created_at, expiresAt: row.expires_at });
const toConnection = (row: ConnectionRow): ConnectionRecord => ({ id: row.id, nodeId: row.node_id, agentId: row.agent_id, browserId: row.browser_id, openedAt: row.opened_at });
const toDeadline = (row: DeadlineRow): StoredDeadline => ({ subject: row.subject, kind: row.kind, dueAt: row.due_at });
const toDeadlineOptional = (row: DeadlineRow | undefined): StoredDeadline | undefined => (row ? toDeadline(row) : undefined);

function mapOptional<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}
