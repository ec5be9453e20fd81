/**
 * Every deadline the service keeps (S10), as data. Each is stored as a row
 * `(subject, kind, due_at)`; the row format is the same across versions, so
 * nodes of two versions read each other's deadlines during a rolling deploy.
 */
export type Deadline =
  /** S1: the customer has not replied within the inactivity limit. */
  | { kind: 'session-inactivity'; sessionId: string }
  /** S5, S6, S7: the session ends. */
  | { kind: 'session-end'; sessionId: string }
  /** P7, A7: the agent's last connection dropped; Offline when it falls due. */
  | { kind: 'agent-disconnect'; agentId: string }
  /** A3: no activity in any tab for the idle timeout. */
  | { kind: 'agent-idle'; agentId: string }
  /** M4: the agent of Active chats has been gone for the grace. */
  | { kind: 'agent-grace'; agentId: string }
  /** P10: an offer not accepted in time. */
  | { kind: 'offer-expiry'; offerId: string }
  /** P5: ended work still holding capacity past the bound. */
  | { kind: 'work-stuck'; sessionId: string; agentId: string }
  /** Q1: an agent's cool-down on a session they passed on is over: route again. */
  | { kind: 'pass-cooldown'; sessionId: string; agentId: string }
  /** M1: customers start seeing the notice. */
  | { kind: 'window-notice'; windowId: string }
  /** M2: agents are set Offline (at the start, or the configured lead before it). */
  | { kind: 'window-agents-offline'; windowId: string }
  | { kind: 'window-start'; windowId: string }
  | { kind: 'window-end'; windowId: string }
  /** Data past its retention is deleted (D7); `what` names the data. */
  | { kind: 'retention-purge'; what: 'offline-messages' }
  /** I2: attachments past `attachments.keepDays` are deleted; a kind of its own, so it has its own handler. */
  | { kind: 'attachment-purge'; what: 'attachments' }
  /** D5: the next attempt of one webhook delivery (claimed by one node; moved by the handler to the next retry). */
  | { kind: 'webhook-delivery'; deliveryId: string }
  /** D7: ended sessions past `privacy.retentionDays` are deleted. */
  | { kind: 'session-purge'; what: 'sessions' };

export type DeadlineKind = Deadline['kind'];
export type DeadlineOf<K extends DeadlineKind> = Extract<Deadline, { kind: K }>;

/** The stored form of a deadline: its key. */
export interface DeadlineKey {
  subject: string;
  kind: string;
}

interface Codec {
  scope: string;
  stored: string;
  fields: readonly string[];
}

// The stored names predate the typed union; they must not change (old and new nodes share the table).
const CODECS: Record<DeadlineKind, Codec> = {
  'session-inactivity': { scope: 'session', stored: 'inactivity', fields: ['sessionId'] },
  'session-end': { scope: 'session', stored: 'end', fields: ['sessionId'] },
  'agent-disconnect': { scope: 'agent', stored: 'disconnect', fields: ['agentId'] },
  'agent-idle': { scope: 'agent', stored: 'idle', fields: ['agentId'] },
  'agent-grace': { scope: 'agent', stored: 'agent-grace', fields: ['agentId'] },
  'offer-expiry': { scope: 'offer', stored: 'offer', fields: ['offerId'] },
  'work-stuck': { scope: 'work', stored: 'stuck', fields: ['sessionId', 'agentId'] },
  'pass-cooldown': { scope: 'pass', stored: 'cool-down', fields: ['sessionId', 'agentId'] },
  'window-notice': { scope: 'window', stored: 'notice', fields: ['windowId'] },
  'window-agents-offline': { scope: 'window', stored: 'agents-offline', fields: ['windowId'] },
  'window-start': { scope: 'window', stored: 'start', fields: ['windowId'] },
  'window-end': { scope: 'window', stored: 'end', fields: ['windowId'] },
  'retention-purge': { scope: 'retention', stored: 'purge', fields: ['what'] },
  'attachment-purge': { scope: 'retention', stored: 'attachments', fields: ['what'] },
  'webhook-delivery': { scope: 'webhook', stored: 'delivery', fields: ['deliveryId'] },
  'session-purge': { scope: 'retention', stored: 'sessions', fields: ['what'] },
};

const BY_STORED = new Map(Object.entries(CODECS).map(([kind, codec]) => [`${codec.scope}/${codec.stored}`, kind as DeadlineKind]));

export function deadlineKey(deadline: Deadline): DeadlineKey {
  const codec = CODECS[deadline.kind];
  const values = codec.fields.map((field) => (deadline as unknown as Record<string, string>)[field]);
  return { subject: [codec.scope, ...values].join(':'), kind: codec.stored };
}

/** The typed deadline a stored row stands for, or undefined for a row this version does not know. */
export function parseDeadline(key: DeadlineKey): Deadline | undefined {
  const colon = key.subject.indexOf(':');
  if (colon < 0) return undefined;
  const kind = BY_STORED.get(`${key.subject.slice(0, colon)}/${key.kind}`);
  if (!kind) return undefined;
  const { fields } = CODECS[kind];
  const rest = key.subject.slice(colon + 1);
  // Ids never contain ':' except the last field may (agent ids allow it): split only as often as needed.
  const values: string[] = [];
  let remaining = rest;
  for (let index = 0; index < fields.length - 1; index++) {
    const next = remaining.indexOf(':');
    if (next < 0) return undefined;
    values.push(remaining.slice(0, next));
    remaining = remaining.slice(next + 1);
  }
  values.push(remaining);
  if (values.some((value) => value.length === 0)) return undefined;
  return { kind, ...Object.fromEntries(fields.map((field, index) => [field, values[index]])) } as Deadline;
}
