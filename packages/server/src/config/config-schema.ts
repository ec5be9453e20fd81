import { FRAME_LIMITS } from '@parley/protocol';
import * as v from 'valibot';
import { DEFAULT_ATTACHMENT_TYPES, NEVER_ALLOWED_TYPES } from '../attachments/attachment-types.js';
import { LOG_LEVELS } from '../service/logger.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\w.:@-]+$/, 'use letters, digits and . _ : @ - only'));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const whole = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/**
 * The service's configuration. Every field has a default except the ones that
 * describe a deployment (offices, buttons, agents). docs/server.md lists them.
 */
export const ConfigSchema = v.strictObject({
  port: v.optional(whole(0, 65535), 8787),
  host: v.optional(v.string(), '127.0.0.1'),
  /** SQLite file; `:memory:` keeps nothing. Ignored when `databaseUrl` is set. */
  databasePath: v.optional(v.pipe(v.string(), v.minLength(1)), './.parley/parley.db'),
  /** PostgreSQL, shared by every node: `postgres://user:password@host:5432/database`. */
  databaseUrl: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/\S+$/, 'use a postgres:// or postgresql:// URL'))),
  /** Redis, the bus between nodes: `redis://host:6379` (needs `databaseUrl`). */
  busUrl: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\/\S+$/, 'use a redis:// or rediss:// URL'))),
  /** Start of the bus's channel names: the nodes of one deployment share it; another deployment on the same Redis uses its own. */
  busPrefix: v.optional(v.pipe(v.string(), v.regex(/^[\w.:-]{1,64}$/, 'use 1 to 64 letters, digits and . _ : - only')), 'parley'),
  /** HMAC secret for every token; when absent one is generated and kept in the database. */
  secret: v.optional(v.pipe(v.string(), v.minLength(32, 'secret must be at least 32 characters'))),
  /** Bearer token for the admin API; without it the admin API answers 401 to everyone. */
  adminToken: v.optional(v.pipe(v.string(), v.minLength(16, 'adminToken must be at least 16 characters'))),
  /** The URL pages and clients reach the service at (scheme, host, port); its origin is the service's own. Default: the address it listens on. */
  publicUrl: v.optional(v.pipe(v.string(), v.url('publicUrl must be a URL'), v.regex(/^https?:\/\//, 'publicUrl must be http(s)'))),
  /** Page origins allowed to open customer sockets; the service's own origin always is. `*` allows any. */
  allowedOrigins: v.optional(v.array(v.string()), []),
  /**
   * Proxies (addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`) whose
   * `X-Forwarded-For` is believed: per-address limits then count the client behind them.
   */
  trustedProxies: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(64))), []),
  /** Enables the test-only clock control and a fake clock. Never in production. */
  testMode: v.optional(v.boolean(), false),
  heartbeatMs: v.optional(whole(1000, 600_000), 25_000),
  /** A socket must say `hello` within this long; then it is closed with 1013, so a slow client comes back later. */
  helloTimeoutMs: v.optional(whole(100, 600_000), 10_000),

  offices: v.pipe(v.array(v.strictObject({ id, name })), v.minLength(1, 'configure at least one office')),
  buttons: v.pipe(v.array(v.strictObject({ id, name, office: id })), v.minLength(1, 'configure at least one button')),
  agents: v.array(
    v.strictObject({
      id,
      name,
      offices: v.pipe(v.array(id), v.minLength(1)),
      capacity: v.optional(whole(1, 50), 3),
      /** P9: the presence this agent signs in with (a base or custom status id). */
      defaultStatus: v.optional(id),
    }),
  ),
  customStatuses: v.optional(
    v.array(v.strictObject({ id, label: name, base: v.picklist(['available', 'away', 'offline']) })),
    [],
  ),

  capacity: v.optional(v.strictObject({ model: v.optional(v.picklist(['conversation', 'status-based']), 'conversation') }), {}),
  lifecycle: v.optional(
    v.strictObject({
      /** S1: 5–30 minutes, or null for off. */
      customerInactivityMinutes: v.optional(v.nullable(whole(5, 30)), null),
      /** S5: 24–30 hours. */
      inactiveEndHours: v.optional(whole(24, 30), 24),
      /** S6: standard channels end after 24 h; enhanced after 48–54 h. */
      channel: v.optional(v.picklist(['standard', 'enhanced']), 'enhanced'),
      enhancedNoReplyHours: v.optional(whole(48, 54), 48),
      /** S8. */
      optOutKeywords: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(40))), ['STOP', 'UNSUBSCRIBE', 'OPT OUT']),
    }),
    {},
  ),
  presence: v.optional(
    v.strictObject({
      /** A3: minutes without activity before Away. */
      idleMinutes: v.optional(whole(1, 24 * 60), 60),
      /** P7, A7: how long presence is held after the last connection drops. */
      disconnectGraceSeconds: v.optional(whole(5, 3600), 120),
      /** P10: seconds an offer waits before it counts as missed. */
      offerTimeoutSeconds: v.optional(whole(5, 600), 30),
      declineSetsAway: v.optional(v.boolean(), false),
      /** P5: minutes after which ended work still holding capacity is released. */
      stuckWorkMinutes: v.optional(whole(1, 24 * 60), 30),
    }),
    {},
  ),
  routing: v.optional(
    v.strictObject({
      /** M4: seconds an Active chat waits for its disconnected agent before moving on. */
      agentGraceSeconds: v.optional(whole(5, 3600), 60),
      /** Q1: seconds an agent who missed or declined a session is not offered it again; after that, only when nobody else can take it. */
      passCooldownSeconds: v.optional(whole(0, 3600), 60),
    }),
    {},
  ),
  maintenance: v.optional(
    v.strictObject({
      /** M1: minutes before a window that customers see the notice. */
      customerNoticeLeadMinutes: v.optional(whole(0, 7 * 24 * 60), 60),
      /** M2: minutes before a window that agents are set Offline. */
      agentOfflineLeadMinutes: v.optional(whole(0, 24 * 60), 0),
      /** M3: clients reconnect within this window after a drain. */
      drainWindowMs: v.optional(whole(0, 60_000), 1000),
      /** M3: sockets told to reconnect per 100 ms while draining. */
      drainBatch: v.optional(whole(1, 100_000), 500),
    }),
    {},
  ),
  retention: v.optional(
    v.strictObject({
      /** Offline messages are deleted this many days after they were left. */
      offlineMessageDays: v.optional(whole(1, 3650), 30),
    }),
    {},
  ),
  /** D7: exports, erasure and the retention of ended chats (docs/server.md "Privacy"). */
  privacy: v.optional(
    v.strictObject({
      /** Ended sessions are deleted with everything stored under them this many days after they ended; unset (the default): kept. */
      retentionDays: v.optional(whole(1, 3650)),
    }),
    {},
  ),
  /** I2: files customers and agents attach (docs/server.md "Attachments"). */
  attachments: v.optional(
    v.strictObject({
      /** Largest file, in bytes (default 10 MB); a larger upload is refused with 413 and nothing is stored. */
      maxBytes: v.optional(whole(1, 100 * 1024 * 1024), 10 * 1024 * 1024),
      /** Media types allowed, as recognised from the content (magic bytes), never from the name. SVG, HTML and script types are refused whatever this says. */
      allowedTypes: v.optional(
        v.pipe(
          v.array(v.pipe(v.string(), v.regex(/^[a-z]+\/[\w.+-]+$/, 'use media types such as image/png'))),
          v.check((types) => !types.some((type) => NEVER_ALLOWED_TYPES.has(type)), 'SVG, HTML, XML and script types run script in a browser: they cannot be allowed'),
        ),
        [...DEFAULT_ATTACHMENT_TYPES],
      ),
      /** SQLite deployments: the folder for the files (default: `attachments/` beside the database). PostgreSQL keeps them in the database. */
      folder: v.optional(v.pipe(v.string(), v.minLength(1))),
      /** How long a signed link to a file works, in seconds. */
      linkSeconds: v.optional(whole(10, 24 * 3600), 300),
      /** Uploads one chat may make within `uploadWindowMinutes` (one party must not fill the disk); past it, 429. */
      uploadsPerChat: v.optional(whole(1, 100_000), 30),
      uploadWindowMinutes: v.optional(whole(1, 24 * 60), 10),
      /** Files are deleted this many days after they were sent (the message stays, naming the file); unset: kept. */
      keepDays: v.optional(whole(1, 3650)),
    }),
    {},
  ),
  /** Agent tokens minted by the company's own identity provider, checked against its JWKS. */
  agentAuth: v.optional(
    v.strictObject({
      jwksUrl: v.optional(v.pipe(v.string(), v.url('jwksUrl must be a URL'), v.regex(/^https?:/, 'jwksUrl must be http(s)'))),
      issuer: v.optional(v.pipe(v.string(), v.minLength(1))),
      audience: v.optional(v.pipe(v.string(), v.minLength(1))),
    }),
    {},
  ),
  /**
   * I1: user tokens a site's backend signs for its signed-in users (docs/server.md "Verified identity"):
   * HS256 with `secret`, or asymmetric keys published at `jwksUrl`.
   */
  identity: v.optional(
    v.strictObject({
      /** Shared with the site's backend only; never the service's own `secret`. */
      secret: v.optional(v.pipe(v.string(), v.minLength(32, 'identity.secret must be at least 32 characters'))),
      jwksUrl: v.optional(v.pipe(v.string(), v.url('jwksUrl must be a URL'), v.regex(/^https?:/, 'jwksUrl must be http(s)'))),
      /** When set, a token must carry this `iss`. */
      issuer: v.optional(v.pipe(v.string(), v.minLength(1))),
      /** When set, a token must carry this `aud`. */
      audience: v.optional(v.pipe(v.string(), v.minLength(1))),
      /** True: no anonymous chat; `start` needs a verified user. */
      required: v.optional(v.boolean(), false),
    }),
    {},
  ),
  tokens: v.optional(
    v.strictObject({
      /** A resume token lives this long after it was issued; every welcome issues a fresh one. */
      resumeTokenHours: v.optional(whole(1, 24 * 90), 24 * 7),
      /** An Ended session can be resumed (to show how it ended) this long after it ended. */
      resumeAfterEndHours: v.optional(whole(0, 24 * 90), 24),
    }),
    {},
  ),
  http: v.optional(
    v.strictObject({
      /** A client must send its request line and headers within this. */
      headersTimeoutMs: v.optional(whole(1000, 120_000), 10_000),
      /** … and its whole request, body included, within this. */
      requestTimeoutMs: v.optional(whole(1000, 600_000), 30_000),
      keepAliveTimeoutMs: v.optional(whole(1000, 600_000), 5000),
      /** Connections (HTTP and WebSocket) at once; more are closed as they arrive. */
      maxConnections: v.optional(whole(10, 1_000_000), 30_000),
      /** Serve `.map` files next to the bundles (they show the source). */
      serveSourceMaps: v.optional(v.boolean(), false),
    }),
    {},
  ),
  /** Where `/metrics` is served: without `port`, on the main port behind the admin token; with it, on that address alone, without a token. */
  metrics: v.optional(v.strictObject({ port: v.optional(whole(0, 65535)), host: v.optional(v.string(), '127.0.0.1') }), {}),
  log: v.optional(v.strictObject({ level: v.optional(v.picklist(LOG_LEVELS), 'info') }), {}),
  limits: v.optional(
    v.strictObject({
      /** Per socket. */
      framesPerSecond: v.optional(whole(1, 1000), FRAME_LIMITS.perSecond),
      frameBurst: v.optional(whole(1, 10_000), FRAME_LIMITS.burst),
      /** Open sockets per client address (agents are not counted once signed in). */
      connectionsPerAddress: v.optional(whole(1, 100_000), 50),
      /** Frames per second across all sockets of one address (per node). */
      addressFramesPerSecond: v.optional(whole(1, 100_000), 100),
      addressFrameBurst: v.optional(whole(1, 1_000_000), 200),
      /** Chats started per client address and per browser within `chatStartWindowMinutes`. */
      chatStartsPerAddress: v.optional(whole(1, 100_000), 20),
      chatStartsPerBrowser: v.optional(whole(1, 1000), 5),
      chatStartWindowMinutes: v.optional(whole(1, 24 * 60), 10),
      /** Waiting chats one button's queue may hold; past it `start` gets `queue_full`. */
      waitingPerButton: v.optional(whole(1, 100_000), 100),
      /** Offline messages (C2) per client address within `offlineMessageWindowMinutes`, and stored in all. */
      offlineMessagesPerAddress: v.optional(whole(1, 100_000), 5),
      offlineMessageWindowMinutes: v.optional(whole(1, 24 * 60), 60),
      offlineMessagesStored: v.optional(whole(1, 10_000_000), 10_000),
    }),
    {},
  ),
});

export type ConfigInput = v.InferInput<typeof ConfigSchema>;
export type Config = v.InferOutput<typeof ConfigSchema>;
