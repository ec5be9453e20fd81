import type { AgentRef, AttachmentRef, SessionEvent } from '@parley/protocol';
import type { OutboxState } from '../outbox/outbox.js';
import type { TranscriptRow } from '../storage/chat-store.js';

/** The session as a UI shows it. */
export type SessionView =
  | { state: 'none' }
  | { state: 'waiting'; position?: number | undefined }
  | { state: 'active'; agent?: AgentRef | undefined }
  | { state: 'inactive' }
  | { state: 'ended'; reason: string };

/** One message of the conversation, with where it is on its way. */
export interface ChatMessage {
  /** The cmid for messages written here (stable from queued to sent), else `seq-N`. */
  id: string;
  /** Where the service stored it; `undefined` until then (queued, sending, failed). */
  seq: number | undefined;
  from: 'customer' | 'agent' | 'system';
  author: string;
  text: string;
  at: number;
  /**
   * queued: in the outbox, not sent yet; sending: sent, no ack yet; sent: stored by the service; failed: refused, can be
   * retried. I4: the sender's own stored messages go on to delivered (the other side's client has it) and read (shown there).
   */
  status: 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
  /** Why it was refused, when `failed`; else `undefined`. */
  error: string | undefined;
  /** I2: the file it carries; read it through a signed link (`@parley/sdk/attachments`). */
  attachment?: AttachmentRef | undefined;
}

/** I4: how far the other side has received (`delivered`) and shown (`read`) this side's events, as seqs. */
export interface ReceiptMarks {
  delivered: number;
  read: number;
}

export const NO_MARKS: ReceiptMarks = { delivered: 0, read: 0 };

/** I4: the tick of one of the reader's own stored messages. */
export function tick(seq: number, marks: ReceiptMarks): ChatMessage['status'] {
  return seq <= marks.read ? 'read' : seq <= marks.delivered ? 'delivered' : 'sent';
}

/** The session state from its transcript, plus the queue position heard last. */
export function sessionView(rows: readonly TranscriptRow[], position: number | undefined): SessionView {
  let view: SessionView = { state: 'none' };
  let agent: AgentRef | undefined;
  for (const row of rows) {
    const event = row.event as SessionEvent;
    if (event.kind === 'agent-joined' || event.kind === 'agent-changed') agent = event.agent;
    if (event.kind !== 'state') continue;
    if (event.state === 'ended') view = { state: 'ended', reason: event.reason };
    else if (event.state === 'inactive') view = { state: 'inactive' };
    else if (event.state === 'waiting') view = { state: 'waiting' };
    else view = { state: 'active' };
  }
  if (view.state === 'waiting') return { state: 'waiting', position };
  if (view.state === 'active') return { state: 'active', agent };
  return view;
}

/**
 * What happened in the conversation besides messages, each with its `seq` so a
 * UI places it among the messages exactly where the service stored it.
 */
export type ConversationEvent =
  | { seq: number; at: number; kind: 'agent-joined'; agent: AgentRef }
  | { seq: number; at: number; kind: 'agent-changed'; agent: AgentRef; previous: AgentRef }
  | { seq: number; at: number; kind: 'ended'; reason: string }
  /** I3: the customer rated the chat (the latest rating counts). */
  | { seq: number; at: number; kind: 'rating'; score: number; comment: string };

export function conversationEvents(rows: readonly TranscriptRow[]): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  for (const { seq, at, event } of rows as ReadonlyArray<TranscriptRow & { event: SessionEvent }>) {
    if (event.kind === 'agent-joined') events.push({ seq, at, kind: 'agent-joined', agent: event.agent });
    if (event.kind === 'agent-changed') events.push({ seq, at, kind: 'agent-changed', agent: event.agent, previous: event.previous });
    if (event.kind === 'state' && event.state === 'ended') events.push({ seq, at, kind: 'ended', reason: event.reason });
    if (event.kind === 'rating') events.push({ seq, at, kind: 'rating', score: event.score, comment: event.comment });
  }
  return events;
}

/**
 * The transcript's messages in `seq` order, then what is still in the outbox,
 * in the order written. A message keeps its shape from queued to read: the
 * customer's `author` is the name the service stores them under (`customerName`).
 */
export function messageList(rows: readonly TranscriptRow[], outbox: OutboxState, customerName: string, marks: ReceiptMarks = NO_MARKS): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const stored = new Set<string>();
  for (const row of rows) {
    const event = row.event as SessionEvent;
    if (event.kind !== 'message') continue;
    if (event.cmid) stored.add(event.cmid);
    const status = event.from === 'customer' ? tick(row.seq, marks) : 'sent';
    messages.push({ id: event.cmid ?? `seq-${row.seq}`, seq: row.seq, from: event.from, author: event.author, text: event.text, at: row.at, status, error: undefined, attachment: event.attachment });
  }
  return [...messages, ...outboxMessages(outbox, stored, { from: 'customer', author: customerName })];
}

/** What waits in the outbox and is not in the transcript yet, as messages of `own` side. */
export function outboxMessages(outbox: OutboxState, stored: ReadonlySet<string>, own: Pick<ChatMessage, 'from' | 'author'>, sessionId?: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const entry of outbox.entries) {
    if (stored.has(entry.cmid) || (sessionId !== undefined && entry.sessionId !== sessionId)) continue;
    const status = outbox.statuses.get(entry.cmid) ?? { status: 'queued' };
    messages.push({
      id: entry.cmid,
      seq: undefined,
      ...own,
      text: entry.text,
      at: entry.createdAt,
      status: status.status,
      error: status.status === 'failed' ? status.error : undefined,
      attachment: entry.attachment,
    });
  }
  return messages;
}
