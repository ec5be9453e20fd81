import type { ErrorCode } from './error-codes.js';
import type { PresenceView } from './presence.js';
import type { VerifiedIdentity } from './identity.js';
import type { SequencedEvent, SessionState } from './session-events.js';

/** Why a button is offline, or `agents` reachable when online (DESIGN "Availability"). */
export type AvailabilityReason = 'agents' | 'capacity' | 'maintenance' | 'read-only' | 'disconnected';

export interface MaintenanceWindow {
  id: string;
  startsAt: number;
  endsAt: number;
  message: string;
}

export interface Availability {
  button: string;
  online: boolean;
  reason: AvailabilityReason;
  /** Set while a planned window is announced or under way (M1). */
  window?: MaintenanceWindow | undefined;
}

export interface WorkItem {
  sessionId: string;
  button: string;
  state: SessionState;
  /** `wrap-up`: the session ended but still holds capacity until closed (P5). */
  phase: 'open' | 'wrap-up' | 'consult';
  /** What the customer or the page said (pre-chat and hidden fields): unverified. */
  prechat: Record<string, string>;
  /** I1: who the site's backend signed the customer in as; absent for anonymous chats. */
  identity?: VerifiedIdentity | undefined;
  lastSeq: number;
}

/** Q1: one Waiting chat as agents see the queue of their offices, oldest first per button. */
export interface WaitingEntry {
  sessionId: string;
  button: string;
  /** Place in its button's queue, from 1. */
  position: number;
  /** When the chat was started (ms since the epoch). */
  since: number;
  prechat: Record<string, string>;
  identity?: VerifiedIdentity | undefined;
  /** Whether it is being offered to an agent right now. */
  offered: boolean;
}

export interface Offer {
  offerId: string;
  sessionId: string;
  button: string;
  prechat: Record<string, string>;
  identity?: VerifiedIdentity | undefined;
  expiresAt: number;
}

/** I4: a reader's marks in one session: every event up to `delivered` reached their client, up to `read` was shown. */
export interface Receipt {
  sessionId: string;
  by: 'customer' | 'agent';
  delivered: number;
  read: number;
}

/** Every frame the service sends (docs/protocol.md). */
export type ServerFrame =
  | {
      type: 'welcome';
      v: number;
      role: 'customer' | 'agent';
      /** Changes when the service's data was reset: a client then re-reads instead of resuming. */
      epoch: string;
      heartbeatMs: number;
      sessionId?: string | undefined;
      resumeToken?: string | undefined;
      lastSeq: number;
      /** `events`: the missed events follow; `transcript`: re-read over HTTP; `none`: nothing to resume. */
      replay: 'events' | 'transcript' | 'none';
      state?: SessionState | undefined;
      /** I1: the user the `userToken` of the hello verified as, when it did. */
      userId?: string | undefined;
    }
  | ({ type: 'event' } & SequencedEvent)
  | { type: 'ack'; ref?: string | undefined; cmid: string; seq: number }
  | { type: 'result'; ref?: string | undefined; data: Record<string, unknown> }
  | { type: 'error'; ref?: string | undefined; code: ErrorCode; message: string }
  | ({ type: 'availability' } & Availability)
  | { type: 'queue'; sessionId: string; position: number }
  | { type: 'typing'; sessionId: string; from: 'customer' | 'agent'; on: boolean }
  /** M1: a window announced, cancelled, or over (`maintenance-ended`, to agents). */
  | { type: 'notice'; kind: 'maintenance-planned' | 'maintenance-cancelled' | 'maintenance-ended'; window: MaintenanceWindow }
  | { type: 'notice'; kind: 'read-only'; on: boolean }
  | { type: 'reconnect'; reason: 'maintenance' | 'replaced'; windowMs: number }
  | { type: 'ping' }
  | { type: 'presence'; presence: PresenceView }
  | ({ type: 'offer' } & Offer)
  | { type: 'offer-withdrawn'; offerId: string; reason: 'taken' | 'expired' | 'cancelled' }
  | { type: 'work'; items: WorkItem[] }
  /** Q1: the queue of the agent's offices, sent on sign-in and whenever it changes. */
  | { type: 'waiting-list'; entries: WaitingEntry[] }
  | { type: 'logged-out' }
  /** I4: how far `by` (the other side, or this one in another browser) has received and read the session's events. */
  | ({ type: 'receipt' } & Receipt);
