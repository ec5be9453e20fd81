/**
 * PostgreSQL schema migrations, applied in order, each in its own transaction,
 * under an advisory lock so that nodes starting together apply each exactly
 * once. Append, never edit. Every migration is additive (new tables, new
 * columns with defaults, new indexes), so the previous version's nodes keep
 * working on the new schema during a rolling deploy; something is dropped
 * only once no running version reads it. `postgres-migrations.test.ts` holds
 * this list to that rule.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    queue_order BIGSERIAL,
    button TEXT NOT NULL,
    office TEXT NOT NULL,
    browser_id TEXT NOT NULL,
    state TEXT NOT NULL,
    origin TEXT NOT NULL,
    prechat TEXT NOT NULL,
    agent_id TEXT,
    previous_agent_id TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0,
    awaiting_reply BOOLEAN NOT NULL DEFAULT FALSE,
    awaiting_first_reply BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- The client's id for a start: the same browser repeating it gets its first session back.
    start_id TEXT
  );
  CREATE INDEX sessions_state ON sessions (state, button);
  CREATE INDEX sessions_browser ON sessions (browser_id, created_at);
  CREATE UNIQUE INDEX sessions_start ON sessions (browser_id, start_id) WHERE start_id IS NOT NULL;

  CREATE TABLE events (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at BIGINT NOT NULL,
    body TEXT NOT NULL,
    cmid TEXT,
    PRIMARY KEY (session_id, seq)
  );
  -- What makes a re-sent message land once: (session, cmid) is unique.
  CREATE UNIQUE INDEX events_cmid ON events (session_id, cmid) WHERE cmid IS NOT NULL;

  CREATE TABLE deadlines (
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    PRIMARY KEY (subject, kind)
  );
  CREATE INDEX deadlines_due ON deadlines (due_at);

  CREATE TABLE work (
    session_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    phase TEXT NOT NULL,
    since BIGINT NOT NULL,
    PRIMARY KEY (session_id, agent_id)
  );
  CREATE INDEX work_agent ON work (agent_id);

  CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  -- No session is ever offered twice at once, whichever node routes it.
  CREATE UNIQUE INDEX offers_session ON offers (session_id);
  CREATE INDEX offers_agent ON offers (agent_id);

  CREATE TABLE presence (agent_id TEXT PRIMARY KEY, body TEXT NOT NULL);

  CREATE TABLE presence_history (
    id BIGSERIAL PRIMARY KEY,
    agent_id TEXT NOT NULL,
    status TEXT NOT NULL,
    custom TEXT,
    source TEXT NOT NULL,
    cause TEXT NOT NULL,
    actor TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT
  );
  CREATE INDEX presence_history_agent ON presence_history (agent_id, started_at);

  CREATE TABLE offline_messages (
    id BIGSERIAL PRIMARY KEY,
    button TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    text TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  -- The retention purge deletes by age.
  CREATE INDEX offline_messages_at ON offline_messages (at);

  CREATE TABLE opt_outs (browser_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, keyword TEXT NOT NULL, at BIGINT NOT NULL);

  CREATE TABLE maintenance_windows (
    id TEXT PRIMARY KEY,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  `,
  `
  -- Q1: who passed on a Waiting session, and until when they are not offered it again.
  CREATE TABLE passes (
    session_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    at BIGINT NOT NULL,
    until BIGINT NOT NULL,
    PRIMARY KEY (session_id, agent_id)
  );
  CREATE INDEX passes_agent ON passes (agent_id, reason);
  `,
  `
  -- C2: admins mark left messages handled.
  ALTER TABLE offline_messages ADD COLUMN handled_at BIGINT;
  ALTER TABLE offline_messages ADD COLUMN handled_by TEXT;
  `,
  `
  -- N1: the nodes running (each beats) and the agent sockets each holds.
  CREATE TABLE nodes (id TEXT PRIMARY KEY, heartbeat_at BIGINT NOT NULL);
  CREATE TABLE agent_connections (id TEXT PRIMARY KEY, node_id TEXT NOT NULL, agent_id TEXT NOT NULL, browser_id TEXT NOT NULL, opened_at BIGINT NOT NULL);
  CREATE INDEX agent_connections_agent ON agent_connections (agent_id);
  CREATE INDEX agent_connections_node ON agent_connections (node_id);
  `,
  `
  -- I4: how far each reader of a session has received and read the other side's events.
  CREATE TABLE receipts (
    session_id TEXT NOT NULL,
    reader TEXT NOT NULL,
    delivered INTEGER NOT NULL,
    read INTEGER NOT NULL,
    PRIMARY KEY (session_id, reader)
  );
  -- I3: one rating per session (a later one replaces it).
  CREATE TABLE ratings (
    session_id TEXT PRIMARY KEY,
    button TEXT NOT NULL,
    agent_id TEXT,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX ratings_at ON ratings (at);
  `,
  `
  -- I1: the verified user a chat belongs to, and the claims agents see.
  ALTER TABLE sessions ADD COLUMN user_id TEXT;
  ALTER TABLE sessions ADD COLUMN identity TEXT;
  CREATE INDEX sessions_user ON sessions (user_id, state) WHERE user_id IS NOT NULL;
  `,
  `
  -- I2: attachments and their bytes, shared by every node.
  CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    upload_key TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    bytes BYTEA NOT NULL
  );
  CREATE UNIQUE INDEX attachments_upload ON attachments (session_id, upload_key);
  `,
  `
  -- D5: webhook subscriptions and their durable delivery queue (attempts run on the deadlines).
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    last_response INTEGER,
    last_error TEXT
  );
  CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);
  `,
  `
  -- D7: the erasure log (who, when, how much; the customer's id only hashed), and ended sessions by age for the retention purge.
  CREATE TABLE erasures (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    counts TEXT NOT NULL
  );
  CREATE INDEX sessions_ended ON sessions (updated_at) WHERE state = 'ended';
  `,
];
