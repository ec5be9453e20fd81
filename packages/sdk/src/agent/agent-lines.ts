import type { SessionEvent } from '@parley/protocol';
import { outboxMessages, type ChatMessage } from '../chat/chat-view.js';
import type { OutboxState } from '../outbox/outbox.js';
import type { TranscriptRow } from '../storage/chat-store.js';

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
  const stored = (lines ?? []).filter((line) => line.seq !== undefined);
  for (const row of added) {
    const line = describe(row);
    if (line) stored.push(line);
  }
  return [...stored, ...replies(stored, outbox, sessionId)];
}

/** Every session's lines after the outbox changed; a session whose lines are the same keeps its array. */
export function withOutbox(conversations: Readonly<Record<string, AgentMessage[]>>, outbox: OutboxState): Record<string, AgentMessage[]> {
  const sessions = new Set([...Object.keys(conversations), ...outbox.entries.map((entry) => entry.sessionId)]);
  let changed = false;
  const next: Record<string, AgentMessage[]> = {};
  for (const sessionId of sessions) {
    const previous = conversations[sessionId] ?? [];
    const stored = previous.filter((line) => line.seq !== undefined);
    const lines = [...stored, ...replies(stored, outbox, sessionId)];
    const same = lines.length === previous.length && lines.every((line, index) => line.id === previous[index]!.id && line.status === previous[index]!.status);
    next[sessionId] = same ? previous : lines;
    changed ||= !same;
  }
  return changed ? next : conversations;
}

/** The agent's replies of one session not yet in its transcript, under the name the service stores them with. */
function replies(stored: readonly AgentMessage[], outbox: OutboxState, sessionId: string): AgentMessage[] {
  const ids = new Set(stored.map((line) => line.id));
  const author = stored.filter((line) => line.from === 'agent').at(-1)?.author ?? '';
  return outboxMessages(outbox, ids, { from: 'agent', author }, sessionId).map((line) => {
    const status = outbox.statuses.get(line.id);
    return { ...line, code: status?.status === 'failed' ? status.code : undefined };
  });
}

function describe({ seq, at, event: raw }: TranscriptRow): AgentMessage | undefined {
  const event = raw as SessionEvent;
  const line = { id: `seq-${seq}`, seq, at, status: 'sent' as const, error: undefined, code: undefined };
  if (event.kind === 'message') return { ...line, id: event.cmid ?? line.id, from: event.from, author: event.author, text: event.text };
  const system = { ...line, from: 'system' as const, author: '' };
  if (event.kind === 'agent-joined') return { ...system, text: `${event.agent.name} joined` };
  if (event.kind === 'agent-changed') return { ...system, text: `${event.agent.name} took over from ${event.previous.name}` };
  if (event.kind === 'state') return { ...system, text: `Chat ${event.state} (${event.reason})` };
  return undefined;
}
