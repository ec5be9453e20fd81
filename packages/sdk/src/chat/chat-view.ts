import type { AgentRef, SessionEvent } from '@parley/protocol';
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
  seq?: number | undefined;
  from: 'customer' | 'agent' | 'system';
  author: string;
  text: string;
  at: number;
  /** queued: in the outbox, not sent yet; sending: sent, no ack yet; sent: stored by the service; failed: refused, can be retried. */
  status: 'queued' | 'sending' | 'sent' | 'failed';
  error?: string | undefined;
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

/** The transcript's messages, then what is still in the outbox, in the order written. */
export function messageList(rows: readonly TranscriptRow[], outbox: OutboxState): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const stored = new Set<string>();
  for (const row of rows) {
    const event = row.event as SessionEvent;
    if (event.kind !== 'message') continue;
    if (event.cmid) stored.add(event.cmid);
    messages.push({ id: event.cmid ?? `seq-${row.seq}`, seq: row.seq, from: event.from, author: event.author, text: event.text, at: row.at, status: 'sent' });
  }
  return [...messages, ...outboxMessages(outbox, stored, { from: 'customer', author: 'You' })];
}

/** What waits in the outbox and is not in the transcript yet, as messages of `own` side. */
export function outboxMessages(outbox: OutboxState, stored: ReadonlySet<string>, own: Pick<ChatMessage, 'from' | 'author'>, sessionId?: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const entry of outbox.entries) {
    if (stored.has(entry.cmid) || (sessionId !== undefined && entry.sessionId !== sessionId)) continue;
    const status = outbox.statuses.get(entry.cmid) ?? { status: 'queued' };
    messages.push({
      id: entry.cmid,
      ...own,
      text: entry.text,
      at: entry.createdAt,
      status: status.status,
      error: status.status === 'failed' ? status.error : undefined,
    });
  }
  return messages;
}

/** C7: the stored conversation as plain text, one line a message, for download. */
export function transcriptText(messages: readonly ChatMessage[]): string {
  return messages
    .filter((message) => message.status === 'sent')
    .map((message) => `[${new Date(message.at).toISOString()}] ${message.author}: ${message.text}`)
    .join('\n');
}
