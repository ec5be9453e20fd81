import type { MaintenanceWindow, Offer, SequencedEvent, SessionEvent, WaitingEntry, WorkItem } from '@parley/protocol';
import type { ConnectionState } from '../connection/connection.js';
import { INITIAL_PRESENCE, reduceAgentPresence, type AgentPresence, type AgentPresenceEvent } from './presence-view.js';

/** One line of a conversation, as the agent console shows it. */
export interface AgentMessage {
  seq: number;
  from: 'customer' | 'agent' | 'system';
  author: string;
  text: string;
  at: number;
}

export type AgentNotice = { kind: 'maintenance-planned' | 'maintenance-cancelled' | 'maintenance-ended'; window: MaintenanceWindow } | { kind: 'read-only'; on: boolean };

/** Everything an agent console renders, in one value (what the leader tab shares with the others). */
export interface AgentSnapshot {
  connection: ConnectionState;
  presence: AgentPresence;
  offers: readonly Offer[];
  work: WorkItem[];
  /** Messages per session of the agent's work. */
  conversations: Record<string, AgentMessage[]>;
  /** Whether the customer of a session is typing. */
  typing: Record<string, boolean>;
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
  | { type: 'event'; event: SequencedEvent }
  | { type: 'typing'; sessionId: string; on: boolean }
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
    case 'event':
      return applyEvent(snapshot, event.event);
    case 'typing':
      return { ...snapshot, typing: { ...snapshot.typing, [event.sessionId]: event.on } };
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

function applyEvent(snapshot: AgentSnapshot, frame: SequencedEvent): AgentSnapshot {
  const conversation = snapshot.conversations[frame.sessionId] ?? [];
  if (conversation.some((line) => line.seq === frame.seq)) return snapshot;
  const event = frame.event as SessionEvent;
  const line = describe(event);
  if (!line) return snapshot;
  const next = [...conversation, { seq: frame.seq, at: frame.at, ...line }].sort((a, b) => a.seq - b.seq);
  const typing = event.kind === 'message' && event.from === 'customer' ? { ...snapshot.typing, [frame.sessionId]: false } : snapshot.typing;
  return { ...snapshot, conversations: { ...snapshot.conversations, [frame.sessionId]: next }, typing };
}

function describe(event: SessionEvent): Omit<AgentMessage, 'seq' | 'at'> | undefined {
  if (event.kind === 'message') return { from: event.from, author: event.author, text: event.text };
  if (event.kind === 'agent-joined') return { from: 'system', author: '', text: `${event.agent.name} joined` };
  if (event.kind === 'agent-changed') return { from: 'system', author: '', text: `${event.agent.name} took over from ${event.previous.name}` };
  if (event.kind === 'state') return { from: 'system', author: '', text: `Chat ${event.state} (${event.reason})` };
  return undefined;
}
