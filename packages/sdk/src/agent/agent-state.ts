import type { MaintenanceWindow, Offer, SessionEvent, WaitingEntry, WorkItem } from '@parley/protocol';
import type { ConnectionState } from '../connection/connection.js';
import type { OutboxState } from '../outbox/outbox.js';
import type { TranscriptRow } from '../storage/chat-store.js';
import type { ReceiptMarks } from '../chat/chat-view.js';
import { withMarks, withOutbox, withRows, type AgentMessage } from './agent-lines.js';
import { INITIAL_PRESENCE, reduceAgentPresence, type AgentPresence, type AgentPresenceEvent } from './presence-view.js';

export type { AgentMessage } from './agent-lines.js';

export type AgentNotice = { kind: 'maintenance-planned' | 'maintenance-cancelled' | 'maintenance-ended'; window: MaintenanceWindow } | { kind: 'read-only'; on: boolean };

/** Everything an agent console renders, in one value (what the leader tab shares with the others). */
export interface AgentSnapshot {
  connection: ConnectionState;
  presence: AgentPresence;
  offers: readonly Offer[];
  work: WorkItem[];
  /** Lines per session of the agent's work: stored ones in seq order, then replies on their way (sending, failed). */
  conversations: Record<string, AgentMessage[]>;
  /** Whether the customer of a session is typing. */
  typing: Record<string, boolean>;
  /** I4: per session, how far the customer has received and read it (the agent's lines tick from these). */
  receipts: Record<string, ReceiptMarks>;
  /** A6: the agent logged out, here or in another tab or browser. */
  loggedOut: boolean;
  /** Q1: the queue of the agent's offices, oldest first per button. */
  waiting: WaitingEntry[];
  /** M1: planned maintenance windows, announced or under way, in start order. */
  windows: MaintenanceWindow[];
}

/** What the agent engine learns, one fact at a time. */
export type AgentEvent =
  | { type: 'connection'; state: ConnectionState }
  | { type: 'presence'; event: AgentPresenceEvent }
  | { type: 'offers'; offers: readonly Offer[] }
  | { type: 'work'; items: WorkItem[] }
  /** Rows the transcript applied (in seq order) to one session, with the outbox as it is now. */
  | { type: 'transcript'; sessionId: string; added: readonly TranscriptRow[]; outbox: OutboxState }
  | { type: 'outbox'; outbox: OutboxState }
  | { type: 'typing'; sessionId: string; on: boolean }
  | { type: 'receipt'; sessionId: string; marks: ReceiptMarks }
  | { type: 'logged-out' }
  | { type: 'waiting'; entries: WaitingEntry[] }
  | { type: 'window'; kind: 'maintenance-planned' | 'maintenance-cancelled' | 'maintenance-ended'; window: MaintenanceWindow };

export const INITIAL_AGENT_SNAPSHOT: AgentSnapshot = {
  connection: { status: 'connecting' },
  presence: INITIAL_PRESENCE,
  offers: [],
  work: [],
  conversations: {},
  typing: {},
  receipts: {},
  loggedOut: false,
  waiting: [],
  windows: [],
};

/**
 * The agent console's view as a pure reducer: `(snapshot, event) → snapshot`.
 * Presence follows its own rules (presence-view.ts); a customer's typing ends
 * with their message; a closed connection that says "logged out" is one (A6).
 */
export function reduceAgent(snapshot: AgentSnapshot, event: AgentEvent): AgentSnapshot {
  switch (event.type) {
    case 'connection': {
      const { state } = event;
      const loggedOut = snapshot.loggedOut || (state.status === 'closed' && state.error?.code === 'logged_out');
      const presence = reduceAgentPresence(snapshot.presence, { type: 'connection', open: state.status === 'open' });
      // On each welcome the service announces every window again: the list starts afresh, so one that ended meanwhile goes.
      const windows = state.status === 'open' && snapshot.connection.status !== 'open' ? [] : snapshot.windows;
      return { ...snapshot, connection: state, presence, loggedOut, windows };
    }
    case 'presence': {
      const presence = reduceAgentPresence(snapshot.presence, event.event);
      return presence === snapshot.presence ? snapshot : { ...snapshot, presence };
    }
    case 'offers':
      return { ...snapshot, offers: event.offers };
    case 'work':
      return { ...snapshot, work: event.items };
    case 'transcript': {
      const lines = withRows(snapshot.conversations[event.sessionId], event.added, event.outbox, event.sessionId);
      const marks = snapshot.receipts[event.sessionId];
      const conversations = { ...snapshot.conversations, [event.sessionId]: marks ? withMarks(lines, marks) : lines };
      // A customer's typing ends with their message.
      const answered = event.added.some((row) => fromCustomer(row.event as SessionEvent));
      const typing = answered ? { ...snapshot.typing, [event.sessionId]: false } : snapshot.typing;
      return { ...snapshot, conversations, typing };
    }
    case 'outbox': {
      const conversations = withOutbox(snapshot.conversations, event.outbox);
      return conversations === snapshot.conversations ? snapshot : { ...snapshot, conversations };
    }
    case 'typing':
      return { ...snapshot, typing: { ...snapshot.typing, [event.sessionId]: event.on } };
    case 'receipt': {
      const receipts = { ...snapshot.receipts, [event.sessionId]: event.marks };
      const lines = snapshot.conversations[event.sessionId];
      return { ...snapshot, receipts, conversations: lines ? { ...snapshot.conversations, [event.sessionId]: withMarks(lines, event.marks) } : snapshot.conversations };
    }
    case 'logged-out':
      return { ...snapshot, loggedOut: true };
    case 'waiting':
      return { ...snapshot, waiting: event.entries };
    case 'window': {
      const others = snapshot.windows.filter((window) => window.id !== event.window.id);
      const windows = event.kind === 'maintenance-planned' ? [...others, event.window].sort((a, b) => a.startsAt - b.startsAt) : others;
      return { ...snapshot, windows };
    }
  }
}

function fromCustomer(event: SessionEvent): boolean {
  return event.kind === 'message' && event.from === 'customer';
}
