import type { SessionEvent } from '@parley/protocol';
import { outboxMessages, tick, type ChatMessage, type ReceiptMarks } from '../chat/chat-view.js';
import type { OutboxState } from '../outbox/outbox.js';
import type { OutboxEntry, TranscriptRow } from '../storage/chat-store.js';

/**
 * One line of a conversation, as the agent console shows it: what the service
 * stored (`status: 'sent'`, with its `seq`), or one of the agent's replies on
 * its way (`queued`, `sending`, or `failed` with its `error` and `code`, kept
 * to be retried), in the same shape from the first send to the ack.
 */
export interface AgentMessage extends ChatMessage {
  /** The refusal's error code when `failed` (e.g. `session_ended`, `session_inactive`); else `undefined`. */
  code: string | undefined;
}

/** A session's lines after new transcript rows: the stored ones in seq order, then the replies still on their way. */
export function withRows(lines: readonly AgentMessage[] | undefined, added: readonly TranscriptRow[], outbox: OutboxState, sessionId: string): AgentMessage[] {
  const stored = storedPart(lines ?? []);
  for (const row of added) {
    const line = describe(row);
    if (line) stored.push(line);
  }
  return [...stored, ...replies(stored, outbox, outbox.entries.filter((entry) => entry.sessionId === sessionId))];
}

/**
 * Every session's lines after the outbox changed; a session whose lines are the same keeps its array.
 * A session whose replies on their way are already shown as they are now costs a look at those only:
 * an ack in a busy console redoes its own session, not every line of every chat (a burst of acks
 * after a reconnect would otherwise block the page for as long as it takes, heartbeats and hellos included).
 */
export function withOutbox(conversations: Readonly<Record<string, AgentMessage[]>>, outbox: OutboxState): Record<string, AgentMessage[]> {
  const bySession = new Map<string, OutboxEntry[]>();
  for (const entry of outbox.entries) {
    const entries = bySession.get(entry.sessionId);
    if (entries) entries.push(entry);
    else bySession.set(entry.sessionId, [entry]);
  }
  let next: Record<string, AgentMessage[]> | undefined;
  for (const sessionId of new Set([...Object.keys(conversations), ...bySession.keys()])) {
    const previous = conversations[sessionId];
    const entries = bySession.get(sessionId) ?? [];
    if (previous && shownAsIs(previous, entries, outbox)) continue;
    const stored = storedPart(previous ?? []);
    const lines = [...stored, ...replies(stored, outbox, entries)];
    const same = previous !== undefined && lines.length === previous.length && lines.every((line, index) => line.id === previous[index]!.id && line.status === previous[index]!.status);
    if (same) continue;
    next ??= { ...conversations };
    next[sessionId] = lines;
  }
  return next ?? conversations;
}

/** True when the lines end with exactly these entries, in order and in their current status (stored lines come first, replies on their way last). */
function shownAsIs(lines: readonly AgentMessage[], entries: readonly OutboxEntry[], outbox: OutboxState): boolean {
  const start = lines.length - entries.length;
  if (start < 0 || (start > 0 && lines[start - 1]!.seq === undefined)) return false;
  return entries.every((entry, index) => {
    const line = lines[start + index]!;
    return line.seq === undefined && line.id === entry.cmid && line.status === (outbox.statuses.get(entry.cmid)?.status ?? 'queued');
  });
}

/** The lines the service stored (they have a seq), without the replies on their way at the end. */
function storedPart(lines: readonly AgentMessage[]): AgentMessage[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.seq === undefined) end--;
  return lines.slice(0, end);
}

/** A session's replies (its outbox entries) not yet in its transcript, under the name the service stores them with. */
function replies(stored: readonly AgentMessage[], outbox: OutboxState, entries: readonly OutboxEntry[]): AgentMessage[] {
  if (entries.length === 0) return [];
  const ids = new Set(stored.map((line) => line.id));
  let author = '';
  for (let index = stored.length - 1; index >= 0 && !author; index--) if (stored[index]!.from === 'agent') author = stored[index]!.author;
  return outboxMessages({ entries, statuses: outbox.statuses }, ids, { from: 'agent', author }).map((line) => {
    const status = outbox.statuses.get(line.id);
    return { ...line, code: status?.status === 'failed' ? status.code : undefined };
  });
}

function describe({ seq, at, event: raw }: TranscriptRow): AgentMessage | undefined {
  const event = raw as SessionEvent;
  const line = { id: `seq-${seq}`, seq, at, status: 'sent' as const, error: undefined, code: undefined };
  if (event.kind === 'message') return { ...line, id: event.cmid ?? line.id, from: event.from, author: event.author, text: event.text, attachment: event.attachment };
  const system = { ...line, from: 'system' as const, author: '' };
  if (event.kind === 'agent-joined') return { ...system, text: `${event.agent.name} joined` };
  if (event.kind === 'agent-changed') return { ...system, text: `${event.agent.name} took over from ${event.previous.name}` };
  if (event.kind === 'state') return { ...system, text: `Chat ${event.state} (${event.reason})` };
  if (event.kind === 'rating') return { ...system, text: `Rated ${event.score}/5${event.comment ? `: ${event.comment}` : ''}` };
  return undefined;
}

/** I4: the agent's own stored lines ticked by the customer's marks; the same array when no tick changed. */
export function withMarks(lines: readonly AgentMessage[], marks: ReceiptMarks): AgentMessage[] {
  let changed = false;
  const next = lines.map((line) => {
    if (line.from !== 'agent' || line.seq === undefined) return line;
    const status = tick(line.seq, marks);
    if (status === line.status) return line;
    changed = true;
    return { ...line, status };
  });
  return changed ? next : (lines as AgentMessage[]);
}
