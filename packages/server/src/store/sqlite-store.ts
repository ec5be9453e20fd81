import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MaintenanceWindow, SequencedEvent, SessionEvent, SessionState, VerifiedIdentity } from '@parley/protocol';
import type { PresenceState } from '../presence/presence-rules.js';
import { MIGRATIONS } from './migrations.js';
import { attachmentFolder, sqliteAttachments } from './sqlite-attachments.js';
import { AsyncMutex, TransactionScope } from './transaction-scope.js';
import { StoreReadOnlyError, type ConnectionRecord, type StoredDeadline, type OfferRecord, type SessionRecord, type Store, type WorkRecord } from './store.js';
import { toLeftMessage, toPass, type LeftMessageRow, type PassRow } from './row-mappers.js';
import { sqliteFeedback } from './sqlite-feedback.js';
import { sqliteWebhooks } from './sqlite-webhooks.js';
import { sqlitePrivacy } from './sqlite-privacy.js';

interface SessionRow {
  id: string;
  button: string;
  office: string;
  browser_id: string;
  state: SessionState;
  origin: SessionRecord['origin'];
  prechat: string;
  agent_id: string | null;
  previous_agent_id: string | null;
  last_seq: number;
  awaiting_reply: number;
  awaiting_first_reply: number;
  created_at: number;
  updated_at: number;
  start_id: string | null;
  user_id: string | null;
  identity: string | null;
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

/**
 * The default store: SQLite through better-sqlite3, in WAL mode, at `path`
 * (`:memory:` for tests). Opening applies any migrations not yet run.
 */
export function openSqliteStore(path: string, options: { attachmentFolder?: string | undefined } = {}): Store {
  if (path !== ':memory:') restrictFiles(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const folder = attachmentFolder(path, options.attachmentFolder);

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
    awaitingReply: row.awaiting_reply === 1,
    awaitingFirstReply: row.awaiting_first_reply === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startId: row.start_id,
    userId: row.user_id,
    identity: row.identity === null ? null : (JSON.parse(row.identity) as VerifiedIdentity),
  });
  const encode = (value: unknown): unknown =>
    typeof value === 'boolean' ? (value ? 1 : 0) : value !== null && typeof value === 'object' ? JSON.stringify(value) : value;

  const statements = {
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    claimMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    insertSession: db.prepare(
      `INSERT INTO sessions (id, button, office, browser_id, state, origin, prechat, agent_id, previous_agent_id, last_seq,
         awaiting_reply, awaiting_first_reply, created_at, updated_at, start_id, user_id, identity)
       VALUES (@id, @button, @office, @browserId, @state, @origin, @prechat, @agentId, @previousAgentId, @lastSeq,
         @awaitingReply, @awaitingFirstReply, @createdAt, @updatedAt, @startId, @userId, @identity)
       ON CONFLICT (browser_id, start_id) WHERE start_id IS NOT NULL DO NOTHING`,
    ),
    sessionOfStart: db.prepare<[string, string], SessionRow>('SELECT * FROM sessions WHERE browser_id = ? AND start_id = ?'),
    openOfBrowser: db.prepare<[string], SessionRow>(
      "SELECT * FROM sessions WHERE browser_id = ? AND origin = 'customer' AND state <> 'ended' ORDER BY created_at DESC, rowid DESC LIMIT 1",
    ),
    openOfUser: db.prepare<[string], SessionRow>("SELECT * FROM sessions WHERE user_id = ? AND state <> 'ended' ORDER BY created_at DESC, rowid DESC LIMIT 1"),
    countWaiting: db.prepare<[string], { count: number }>("SELECT COUNT(*) AS count FROM sessions WHERE state = 'waiting' AND button = ?"),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    sessionsInState: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE state = ? ORDER BY created_at, rowid'),
    sessionsOfBrowser: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE browser_id = ? ORDER BY created_at, rowid'),
    sessionsOfUser: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at, rowid'),
    latestOfBrowser: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE browser_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1'),
    countByState: db.prepare<[], { state: string; count: number }>('SELECT state, COUNT(*) AS count FROM sessions GROUP BY state'),
    findCmid: db.prepare<[string, string], { seq: number }>('SELECT seq FROM events WHERE session_id = ? AND cmid = ?'),
    bumpSeq: db.prepare<[string], { last_seq: number }>('UPDATE sessions SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq'),
    insertEvent: db.prepare('INSERT INTO events (session_id, seq, at, body, cmid) VALUES (?, ?, ?, ?, ?)'),
    eventsAfter: db.prepare<[string, number], { seq: number; at: number; body: string }>(
      'SELECT seq, at, body FROM events WHERE session_id = ? AND seq > ? ORDER BY seq',
    ),
    countMessages: db.prepare<[], { count: number }>("SELECT COUNT(*) AS count FROM events WHERE body LIKE '{\"kind\":\"message\"%'"),
    setDeadline: db.prepare(
      'INSERT INTO deadlines (subject, kind, due_at) VALUES (?, ?, ?) ON CONFLICT (subject, kind) DO UPDATE SET due_at = excluded.due_at',
    ),
    clearDeadline: db.prepare('DELETE FROM deadlines WHERE subject = ? AND kind = ? AND (? IS NULL OR due_at = ?)'),
    dueDeadlines: db.prepare<[number], { subject: string; kind: string; due_at: number }>(
      'SELECT subject, kind, due_at FROM deadlines WHERE due_at <= ? ORDER BY due_at, subject, kind',
    ),
    nextDeadline: db.prepare<[], { subject: string; kind: string; due_at: number }>(
      'SELECT subject, kind, due_at FROM deadlines ORDER BY due_at LIMIT 1',
    ),
    putWork: db.prepare(
      `INSERT INTO work (session_id, agent_id, phase, since) VALUES (@sessionId, @agentId, @phase, @since)
       ON CONFLICT (session_id, agent_id) DO UPDATE SET phase = excluded.phase, since = excluded.since`,
    ),
    removeWork: db.prepare('DELETE FROM work WHERE session_id = ? AND agent_id = ?'),
    workOfAgent: db.prepare<[string], WorkRow>('SELECT * FROM work WHERE agent_id = ? ORDER BY since, session_id'),
    workOfSession: db.prepare<[string], WorkRow>('SELECT * FROM work WHERE session_id = ? ORDER BY since, agent_id'),
    allWork: db.prepare<[], WorkRow>('SELECT * FROM work ORDER BY since, session_id, agent_id'),
    putOffer: db.prepare(
      'INSERT INTO offers (id, session_id, agent_id, created_at, expires_at) VALUES (@id, @sessionId, @agentId, @createdAt, @expiresAt)',
    ),
    getOffer: db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE id = ?'),
    deleteOffer: db.prepare('DELETE FROM offers WHERE id = ?'),
    offersOfAgent: db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE agent_id = ? ORDER BY created_at, id'),
    offersOfSession: db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE session_id = ? ORDER BY created_at, id'),
    putPass: db.prepare(
      `INSERT INTO passes (session_id, agent_id, reason, at, until) VALUES (@sessionId, @agentId, @reason, @at, @until)
       ON CONFLICT (session_id, agent_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, until = excluded.until`,
    ),
    passesOfSession: db.prepare<[string], PassRow>('SELECT * FROM passes WHERE session_id = ? ORDER BY at, agent_id'),
    removeSessionPasses: db.prepare('DELETE FROM passes WHERE session_id = ?'),
    removeAgentPasses: db.prepare('DELETE FROM passes WHERE agent_id = ? AND reason = ?'),
    heartbeat: db.prepare<[number, string], { id: string }>('UPDATE nodes SET heartbeat_at = ? WHERE id = ? RETURNING id'),
    insertNode: db.prepare('INSERT INTO nodes (id, heartbeat_at) VALUES (?, ?)'),
    addConnection: db.prepare('INSERT OR IGNORE INTO agent_connections (id, node_id, agent_id, browser_id, opened_at) VALUES (@id, @nodeId, @agentId, @browserId, @openedAt)'),
    removeConnection: db.prepare('DELETE FROM agent_connections WHERE id = ?'),
    connectionsOfAgent: db.prepare<[string, number], ConnectionRow>(
      'SELECT c.* FROM agent_connections c JOIN nodes n ON n.id = c.node_id WHERE c.agent_id = ? AND n.heartbeat_at >= ? ORDER BY c.opened_at, c.id',
    ),
    connectedAgents: db.prepare<[number], { agent_id: string }>(
      'SELECT DISTINCT c.agent_id FROM agent_connections c JOIN nodes n ON n.id = c.node_id WHERE n.heartbeat_at >= ? ORDER BY c.agent_id',
    ),
    deadNodes: db.prepare<[number, string], { id: string }>('SELECT id FROM nodes WHERE heartbeat_at < ? AND id <> ?'),
    connectionsOfNode: db.prepare<[string], { agent_id: string }>('DELETE FROM agent_connections WHERE node_id = ? RETURNING agent_id'),
    deleteNode: db.prepare('DELETE FROM nodes WHERE id = ?'),
    getPresence: db.prepare<[string], { body: string }>('SELECT body FROM presence WHERE agent_id = ?'),
    presences: db.prepare<[], { body: string }>('SELECT body FROM presence ORDER BY agent_id'),
    offerCounts: db.prepare<[], { agent_id: string; count: number }>('SELECT agent_id, COUNT(*) AS count FROM offers GROUP BY agent_id'),
    workloads: db.prepare<[], { agent_id: string; count: number }>("SELECT agent_id, COUNT(*) AS count FROM work WHERE phase <> 'consult' GROUP BY agent_id"),
    putPresence: db.prepare('INSERT INTO presence (agent_id, body) VALUES (?, ?) ON CONFLICT (agent_id) DO UPDATE SET body = excluded.body'),
    closeHistory: db.prepare('UPDATE presence_history SET ended_at = ? WHERE agent_id = ? AND ended_at IS NULL'),
    openHistory: db.prepare(
      'INSERT INTO presence_history (agent_id, status, custom, source, cause, actor, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    history: db.prepare<[number, number], HistoryRow>(
      'SELECT * FROM presence_history WHERE started_at <= ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id',
    ),
    countOfflineMessages: db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM offline_messages'),
    oldestOfflineMessage: db.prepare<[], { at: number }>('SELECT at FROM offline_messages ORDER BY at LIMIT 1'),
    purgeOfflineMessages: db.prepare('DELETE FROM offline_messages WHERE at <= ?'),
    listOfflineMessages: db.prepare<{ status: string; before: number; limit: number }, LeftMessageRow>(
      `SELECT * FROM offline_messages
       WHERE (@status = 'all' OR (@status = 'open' AND handled_at IS NULL) OR (@status = 'handled' AND handled_at IS NOT NULL)) AND id < @before
       ORDER BY id DESC LIMIT @limit`,
    ),
    markOfflineMessage: db.prepare('UPDATE offline_messages SET handled_at = ?, handled_by = ? WHERE id = ?'),
    getOfflineMessage: db.prepare<[number], LeftMessageRow>('SELECT * FROM offline_messages WHERE id = ?'),
    addOfflineMessage: db.prepare('INSERT INTO offline_messages (button, name, email, text, at) VALUES (@button, @name, @email, @text, @at)'),
    recordOptOut: db.prepare(
      'INSERT INTO opt_outs (browser_id, session_id, keyword, at) VALUES (?, ?, ?, ?) ON CONFLICT (browser_id) DO UPDATE SET at = excluded.at',
    ),
    optOuts: db.prepare<[], { browser_id: string; session_id: string; keyword: string; at: number }>('SELECT * FROM opt_outs ORDER BY at DESC, browser_id'),
    addWindow: db.prepare('INSERT INTO maintenance_windows (id, starts_at, ends_at, message, created_at) VALUES (?, ?, ?, ?, ?)'),
    deleteWindow: db.prepare('DELETE FROM maintenance_windows WHERE id = ?'),
    windows: db.prepare<[], { id: string; starts_at: number; ends_at: number; message: string }>(
      'SELECT id, starts_at, ends_at, message FROM maintenance_windows ORDER BY starts_at, id',
    ),
  };

  // Session updates touch a few sets of columns (a message sets the same ones each time): each set is prepared once.
  const updates = new Map<string, Database.Statement>();
  const updateStatement = (assignments: string): Database.Statement => {
    let statement = updates.get(assignments);
    if (!statement) updates.set(assignments, (statement = db.prepare(`UPDATE sessions SET ${assignments} WHERE id = ?`)));
    return statement;
  };

  const append = db.transaction((sessionId: string, event: SessionEvent, at: number, cmid: string | undefined) => {
    if (cmid !== undefined) {
      const existing = statements.findCmid.get(sessionId, cmid);
      if (existing) return { seq: existing.seq, duplicate: true };
    }
    const bumped = statements.bumpSeq.get(sessionId);
    if (!bumped) throw new Error(`no session ${sessionId}`);
    statements.insertEvent.run(sessionId, bumped.last_seq, at, JSON.stringify(event), cmid ?? null);
    return { seq: bumped.last_seq, duplicate: false };
  });

  const savePresence = db.transaction((state: PresenceState, statusChanged: boolean) => {
    statements.putPresence.run(state.agentId, JSON.stringify(state));
    if (!statusChanged) return;
    statements.closeHistory.run(state.reason.at, state.agentId);
    const { source, cause, actor, at } = state.reason;
    statements.openHistory.run(state.agentId, state.status, state.custom ?? null, source, cause, actor, at);
  });

  // One connection: a transaction holds it until it ends, and everything else waits its turn,
  // so no other code reads what is not committed or writes into another's transaction.
  const scope = new TransactionScope<Database.Database>();
  const mutex = new AsyncMutex();
  const readOnly = (error: unknown) => {
    const code = (error as { code?: string }).code ?? '';
    return code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR';
  };
  const typed = (error: unknown) => (readOnly(error) ? new StoreReadOnlyError(`the store cannot take writes (${(error as { code: string }).code})`, { cause: error }) : error);
  const read = <T>(action: () => T): Promise<T> => {
    if (scope.current()) return Promise.resolve().then(action);
    if (!mutex.idle) return mutex.run(action);
    // No transaction open or waiting: there is nothing uncommitted to see and nobody to overtake, so
    // the statement runs now instead of taking a turn of the queue (most calls, on the message path).
    try {
      return Promise.resolve(action());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  // Every write goes through here so a read-only database surfaces as one typed error (M6).
  const write = <T>(action: () => T): Promise<T> =>
    read(() => {
      try {
        return action();
      } catch (error) {
        throw typed(error);
      }
    });

  const transaction = <T>(work: () => Promise<T>): Promise<T> => {
    if (scope.current()) return work();
    return mutex.run(async () => {
      const open = { connection: db, afterCommit: [] as Array<() => void> };
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw typed(error);
      }
      try {
        const result = await scope.run(open, work);
        db.exec('COMMIT');
        scope.finished(open, true);
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        scope.finished(open, false);
        throw typed(error);
      }
    });
  };

  return {
    engine: 'sqlite',
    transaction,
    afterCommit: (callback) => scope.afterCommit(callback),
    inTransaction: () => scope.current() !== undefined,
    detached: (work) => scope.outside(work),
    lockSession: (id) => read(() => mapOptional(statements.getSession.get(id), toSession)),
    // One connection, one transaction at a time: holding the transaction holds everything.
    lockAgent: async () => {},
    lockRouting: async () => {},
    claimDeadline: (now) => read(() => mapOptional(statements.dueDeadlines.get(now), toDeadline)),
    probe: () => write(() => void statements.setMeta.run('probe', String(Date.now()))),

    claimMeta: (key, value) =>
      write(() => {
        statements.claimMeta.run(key, value);
        return statements.getMeta.get(key)!.value;
      }),
    getMeta: (key) => read(() => statements.getMeta.get(key)?.value),
    setMeta: (key, value) => write(() => void statements.setMeta.run(key, value)),

    createSession: (session) =>
      write(() => {
        const { changes } = statements.insertSession.run({
          ...encodeAll(session, encode),
          startId: session.startId ?? null,
          userId: session.userId ?? null,
          identity: session.identity ? JSON.stringify(session.identity) : null,
        });
        if (changes === 1 || !session.startId) return { ...session, startId: session.startId ?? null, userId: session.userId ?? null, identity: session.identity ?? null };
        return toSession(statements.sessionOfStart.get(session.browserId, session.startId)!);
      }),
    sessionOfStart: (browserId, startId) => read(() => mapOptional(statements.sessionOfStart.get(browserId, startId), toSession)),
    openSessionOfBrowser: (browserId) => read(() => mapOptional(statements.openOfBrowser.get(browserId), toSession)),
    openSessionOfUser: (userId) => read(() => mapOptional(statements.openOfUser.get(userId), toSession)),
    countWaiting: (button) => read(() => statements.countWaiting.get(button)?.count ?? 0),
    getSession: (id) => read(() => mapOptional(statements.getSession.get(id), toSession)),
    updateSession: (id, patch) =>
      write(() => {
        const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
        if (entries.length === 0) return;
        const assignments = entries.map(([key]) => `${SESSION_COLUMNS[key as keyof typeof SESSION_COLUMNS]} = ?`).join(', ');
        updateStatement(assignments).run(...entries.map(([, value]) => encode(value)), id);
      }),
    sessionsInState: (state) => read(() => statements.sessionsInState.all(state).map(toSession)),
    latestSessionOfBrowser: (browserId) => read(() => mapOptional(statements.latestOfBrowser.get(browserId), toSession)),
    countSessionsByState: () => read(() => Object.fromEntries(statements.countByState.all().map((row) => [row.state, row.count]))),

    appendEvent: (sessionId, event, at, cmid) => write(() => append(sessionId, event, at, cmid)),
    eventsAfter: (sessionId, seq) =>
      read(() =>
        statements.eventsAfter.all(sessionId, seq).map(
          (row): SequencedEvent => ({ sessionId, seq: row.seq, at: row.at, event: JSON.parse(row.body) as SessionEvent }),
        ),
      ),
    seqOfCmid: (sessionId, cmid) => read(() => statements.findCmid.get(sessionId, cmid)?.seq),
    countMessages: () => read(() => statements.countMessages.get()?.count ?? 0),

    setDeadline: ({ subject, kind, dueAt }) => write(() => void statements.setDeadline.run(subject, kind, dueAt)),
    clearDeadline: (subject, kind, dueAt) => write(() => void statements.clearDeadline.run(subject, kind, dueAt ?? null, dueAt ?? null)),
    dueDeadlines: (now) => read(() => statements.dueDeadlines.all(now).map(toDeadline)),
    nextDeadline: () => read(() => mapOptional(statements.nextDeadline.get(), toDeadline)),

    putWork: (work) => write(() => void statements.putWork.run(work)),
    removeWork: (sessionId, agentId) => write(() => void statements.removeWork.run(sessionId, agentId)),
    workOfAgent: (agentId) => read(() => statements.workOfAgent.all(agentId).map(toWork)),
    workOfSession: (sessionId) => read(() => statements.workOfSession.all(sessionId).map(toWork)),
    allWork: () => read(() => statements.allWork.all().map(toWork)),
    workloads: () => read(() => countsOf(statements.workloads.all())),

    putOffer: (offer) => write(() => void statements.putOffer.run(offer)),
    getOffer: (id) => read(() => mapOptional(statements.getOffer.get(id), toOffer)),
    deleteOffer: (id) => write(() => statements.deleteOffer.run(id).changes > 0),
    offersOfAgent: (agentId) => read(() => statements.offersOfAgent.all(agentId).map(toOffer)),
    offersOfSession: (sessionId) => read(() => statements.offersOfSession.all(sessionId).map(toOffer)),
    offerCounts: () => read(() => countsOf(statements.offerCounts.all())),

    putPass: (pass) => write(() => void statements.putPass.run(pass)),
    passesOfSession: (sessionId) => read(() => statements.passesOfSession.all(sessionId).map(toPass)),
    removePasses: (match) =>
      write(() => void ('sessionId' in match ? statements.removeSessionPasses.run(match.sessionId) : statements.removeAgentPasses.run(match.agentId, match.reason))),

    heartbeat: (nodeId, at) =>
      write(() => {
        if (statements.heartbeat.get(at, nodeId)) return true;
        statements.insertNode.run(nodeId, at);
        return false;
      }),
    addConnection: (connection) => write(() => void statements.addConnection.run(connection)),
    removeConnection: (id) => write(() => void statements.removeConnection.run(id)),
    connectionsOfAgent: (agentId, aliveSince) =>
      read(() => statements.connectionsOfAgent.all(agentId, aliveSince).map((row): ConnectionRecord => ({ id: row.id, nodeId: row.node_id, agentId: row.agent_id, browserId: row.browser_id, openedAt: row.opened_at }))),
    connectedAgents: (aliveSince) => read(() => statements.connectedAgents.all(aliveSince).map((row) => row.agent_id)),
    reapNodes: (deadBefore, except) =>
      write(() => {
        const lost = new Set<string>();
        for (const { id } of statements.deadNodes.all(deadBefore, except)) {
          for (const row of statements.connectionsOfNode.all(id)) lost.add(row.agent_id);
          statements.deleteNode.run(id);
        }
        return [...lost].sort();
      }),
    getPresence: (agentId) => read(() => mapOptional(statements.getPresence.get(agentId), (row) => JSON.parse(row.body) as PresenceState)),
    presences: () => read(() => statements.presences.all().map((row) => JSON.parse(row.body) as PresenceState)),
    putPresence: (state, statusChanged) => write(() => savePresence(state, statusChanged)),
    presenceHistory: ({ from, to }) =>
      read(() =>
        statements.history.all(to, from).map((row) => ({
          agentId: row.agent_id,
          status: row.status,
          custom: row.custom,
          source: row.source,
          cause: row.cause,
          actor: row.actor,
          startedAt: row.started_at,
          endedAt: row.ended_at,
        })),
      ),

    addOfflineMessage: (message) => write(() => void statements.addOfflineMessage.run(message)),
    countOfflineMessages: () => read(() => statements.countOfflineMessages.get()?.count ?? 0),
    oldestOfflineMessageAt: () => read(() => statements.oldestOfflineMessage.get()?.at),
    purgeOfflineMessages: (before) => write(() => void statements.purgeOfflineMessages.run(before)),
    listOfflineMessages: ({ status, limit, before }) =>
      read(() => statements.listOfflineMessages.all({ status, limit, before: before ?? Number.MAX_SAFE_INTEGER }).map(toLeftMessage)),
    markOfflineMessage: (id, handled) =>
      write(() => {
        statements.markOfflineMessage.run(handled?.at ?? null, handled?.by ?? null, id);
        return mapOptional(statements.getOfflineMessage.get(id), toLeftMessage);
      }),
    recordOptOut: (browserId, sessionId, keyword, at) => write(() => void statements.recordOptOut.run(browserId, sessionId, keyword, at)),
    optOuts: () => read(() => statements.optOuts.all().map((row) => ({ browserId: row.browser_id, sessionId: row.session_id, keyword: row.keyword, at: row.at }))),

    ...sqliteFeedback(db, read, write),
    ...sqliteWebhooks(db, read, write),

    addWindow: (window, createdAt) =>
      write(() => void statements.addWindow.run(window.id, window.startsAt, window.endsAt, window.message, createdAt)),
    deleteWindow: (id) => write(() => statements.deleteWindow.run(id).changes > 0),
    windows: () =>
      read(() =>
        statements.windows.all().map((row): MaintenanceWindow => ({ id: row.id, startsAt: row.starts_at, endsAt: row.ends_at, message: row.message })),
      ),

    sessionsOfCustomer: (customer) =>
      read(() => ('browserId' in customer ? statements.sessionsOfBrowser.all(customer.browserId) : statements.sessionsOfUser.all(customer.userId)).map(toSession)),

    ...sqliteAttachments(db, folder, { read, write }),
    ...sqlitePrivacy(db, folder, { read, write }),

    close: () => db.close(),
  };
}

/**
 * The database holds the token secret: only the service's user may read it.
 * A folder the service creates is 0700; the file is 0600, and SQLite gives its
 * WAL and shared-memory files the database file's mode.
 */
function restrictFiles(path: string): void {
  const folder = dirname(path);
  if (mkdirSync(folder, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(folder, 0o700);
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

interface ConnectionRow {
  id: string;
  node_id: string;
  agent_id: string;
  browser_id: string;
  opened_at: number;
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

const toWork = (row: WorkRow): WorkRecord => ({ sessionId: row.session_id, agentId: row.agent_id, phase: row.phase, since: row.since });
const toOffer = (row: OfferRow): OfferRecord => ({
  id: row.id,
  sessionId: row.session_id,
  agentId: row.agent_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});
const toDeadline = (row: { subject: string; kind: string; due_at: number }): StoredDeadline => ({ subject: row.subject, kind: row.kind, dueAt: row.due_at });

const countsOf = (rows: ReadonlyArray<{ agent_id: string; count: number }>): Record<string, number> => Object.fromEntries(rows.map((row) => [row.agent_id, row.count]));

function mapOptional<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

function encodeAll(record: object, encode: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, encode(value)]));
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  MIGRATIONS.slice(applied).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${applied + index + 1}`);
    })();
  });
}
