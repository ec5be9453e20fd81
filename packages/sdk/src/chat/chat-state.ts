import type { AgentRef, MaintenanceWindow, SessionEvent } from '@parley/protocol';
import type { AvailabilityView } from '../availability/hold-availability.js';
import type { ConnectionState } from '../connection/connection.js';
import { EMPTY_OUTBOX, type OutboxState } from '../outbox/outbox.js';
import type { TranscriptRow } from '../storage/chat-store.js';
import { conversationEvents, messageList, NO_MARKS, sessionView, type ChatMessage, type ConversationEvent, type ReceiptMarks, type SessionView } from './chat-view.js';

/** What the service calls a customer who gave no name. */
export const DEFAULT_CUSTOMER_NAME = 'Customer';

/** Everything a UI renders, in one value (what the leader tab shares with the others). */
export interface ChatSnapshot {
  connection: ConnectionState;
  availability: AvailabilityView | undefined;
  session: SessionView;
  messages: ChatMessage[];
  events: ConversationEvent[];
  typing: boolean;
}

/** Things worth telling the customer once, as they happen. */
export type ChatNotice =
  | { kind: 'agent-joined'; agent: AgentRef }
  | { kind: 'agent-changed'; agent: AgentRef; previous: AgentRef }
  | { kind: 'maintenance-planned' | 'maintenance-cancelled'; window: MaintenanceWindow }
  | { kind: 'read-only'; on: boolean }
  /** I1: the service refused the user token (`bad_identity`); the chat goes on anonymously, if the site allows it. */
  | { kind: 'identity-refused'; message: string };

/** What the chat engine learns, one fact at a time. */
export type ChatEvent =
  | { type: 'connection'; state: ConnectionState; at: number }
  | { type: 'availability'; availability: AvailabilityView; at: number }
  /** A session was started or resumed (its stored rows and outbox follow), or forgotten; `customerName` is what the service stores the customer's messages under. */
  | { type: 'session'; sessionId: string | undefined; customerName?: string | undefined }
  /** The session's transcript now; `added` are the rows just applied (none after a re-read). */
  | { type: 'transcript'; rows: readonly TranscriptRow[]; added: readonly TranscriptRow[] }
  | { type: 'outbox'; outbox: OutboxState }
  | { type: 'queue'; position: number }
  | { type: 'typing'; on: boolean }
  /** I4: the agent's marks in the open session. */
  | { type: 'receipt'; marks: ReceiptMarks };

export interface ChatState {
  connection: ConnectionState;
  sessionId: string | undefined;
  rows: readonly TranscriptRow[];
  outbox: OutboxState;
  position: number | undefined;
  customerName: string;
  /** I4: how far the agent has received and read the session. */
  marks: ReceiptMarks;
  /** What the UI sees. A part is a new object only when it changed, so views compare by reference. */
  snapshot: ChatSnapshot;
}

export const INITIAL_CHAT_STATE: ChatState = {
  connection: { status: 'connecting' },
  sessionId: undefined,
  rows: [],
  outbox: EMPTY_OUTBOX,
  position: undefined,
  customerName: DEFAULT_CUSTOMER_NAME,
  marks: NO_MARKS,
  snapshot: { connection: { status: 'connecting' }, availability: undefined, session: { state: 'none' }, messages: [], events: [], typing: false },
};

/**
 * The customer's view as a pure reducer: `(state, event) → state`, time in
 * the events. Queue positions end when the session leaves Waiting, the
 * agent's typing ends with their message, and reconnecting inside a planned
 * window reads as maintenance until its end (M1).
 */
export function reduceChat(state: ChatState, event: ChatEvent): ChatState {
  const { snapshot } = state;
  switch (event.type) {
    case 'connection':
      return { ...state, connection: event.state, snapshot: { ...snapshot, connection: connectionView(event.state, snapshot, event.at) } };
    case 'availability': {
      const next = { ...snapshot, availability: event.availability };
      return { ...state, snapshot: { ...next, connection: connectionView(state.connection, next, event.at) } };
    }
    case 'session': {
      const next = { ...state, sessionId: event.sessionId, rows: [], outbox: EMPTY_OUTBOX, position: undefined, customerName: event.customerName ?? DEFAULT_CUSTOMER_NAME, marks: NO_MARKS };
      return { ...next, snapshot: { ...snapshot, session: view(next, snapshot.session), messages: [], events: [], typing: false } };
    }
    case 'transcript': {
      const events = event.added.map((row) => row.event as SessionEvent);
      const position = events.some((added) => added.kind === 'state' && added.state !== 'waiting') ? undefined : state.position;
      const typing = snapshot.typing && !events.some((added) => added.kind === 'message' && added.from === 'agent');
      const next = { ...state, rows: event.rows, position };
      const messages = messageList(event.rows, state.outbox, state.customerName, state.marks);
      return { ...next, snapshot: { ...snapshot, session: view(next, snapshot.session), messages, events: sameEvents(conversationEvents(event.rows), snapshot.events), typing } };
    }
    case 'outbox':
      return { ...state, outbox: event.outbox, snapshot: { ...snapshot, messages: messageList(state.rows, event.outbox, state.customerName, state.marks) } };
    case 'receipt':
      return { ...state, marks: event.marks, snapshot: { ...snapshot, messages: messageList(state.rows, state.outbox, state.customerName, event.marks) } };
    case 'queue': {
      const next = { ...state, position: event.position };
      return { ...next, snapshot: { ...snapshot, session: view(next, snapshot.session) } };
    }
    case 'typing':
      return event.on === snapshot.typing ? state : { ...state, snapshot: { ...snapshot, typing: event.on } };
  }
}

/** The previous list when nothing was added (events only grow, in seq order), so `events$` emits only changes. */
function sameEvents(next: ConversationEvent[], previous: ConversationEvent[]): ConversationEvent[] {
  return next.length === previous.length && next.at(-1)?.seq === previous.at(-1)?.seq ? previous : next;
}

/** The session view, or the previous one when it says the same (so `session$` emits only changes). */
function view(state: Pick<ChatState, 'sessionId' | 'rows' | 'position'>, previous: SessionView): SessionView {
  const next: SessionView = state.sessionId ? sessionView(state.rows, state.position) : { state: 'none' };
  return sameFields(next, previous) ? previous : next;
}

/** Reconnecting during a planned window is not a fault: say maintenance, and until when (M1). */
function connectionView(connection: ConnectionState, snapshot: ChatSnapshot, now: number): ConnectionState {
  const window = snapshot.availability?.window;
  if (connection.status !== 'reconnecting' || !window || now < window.startsAt || now >= window.endsAt) return connection;
  const maintenance: ConnectionState = { status: 'maintenance', until: window.endsAt };
  return sameFields(maintenance, snapshot.connection) ? snapshot.connection : maintenance;
}

/** Flat comparison of two small view objects; nested objects (an agent) by their own fields. */
function sameFields(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => left[key] === right[key] || (typeof left[key] === 'object' && typeof right[key] === 'object' && left[key] !== null && right[key] !== null && sameFields(left[key], right[key] as object)));
}
