import type { MaintenanceWindow, Offer, Receipt, SequencedEvent, WorkItem } from '@parley/protocol';
import type { PresenceState } from '../presence/presence-rules.js';
import type { OfficeWaitingEntry } from '../routing/waiting-list.js';
import type { ConnectionClaim } from '../transport/connection-claims.js';

/**
 * What the service's parts announce after a change is stored. They never
 * address sockets: the delivery module maps each event to the sockets of its
 * own node, and on several nodes the bus carries these events to every node.
 * Every field is plain data (JSON on the wire between nodes).
 */
export type DomainEvent =
  /** A transcript event was stored; `agentIds` are the agents working on the session at that moment. */
  | { type: 'session-event'; event: SequencedEvent; agentIds: string[] }
  | { type: 'typing'; sessionId: string; from: 'customer' | 'agent'; on: boolean; agentIds: string[] }
  /** I4: a reader's marks moved; both sides hear it (the other side shows ticks, the reader's other browsers follow). */
  | { type: 'receipt'; receipt: Receipt; agentIds: string[] }
  /** An agent took or joined a session: their sockets get its whole transcript. */
  | { type: 'transcript-shared'; agentId: string; sessionId: string }
  | { type: 'presence-changed'; state: PresenceState }
  | { type: 'offer-made'; agentId: string; offer: Offer }
  | { type: 'offer-withdrawn'; agentId: string; offerId: string; reason: 'taken' | 'expired' | 'cancelled' }
  /** Offers out per agent after a change (an offered slot is not free: availability reads it). */
  | { type: 'offers-changed'; counts: Record<string, number> }
  | { type: 'work-changed'; agentId: string; items: WorkItem[] }
  /** The Waiting sessions or their order changed: queue positions may have moved. */
  | { type: 'queue-changed' }
  /** Q1: the queue as agents see it, every office's; delivery shows each agent their offices'. */
  | { type: 'waiting-list'; entries: OfficeWaitingEntry[] }
  | { type: 'windows-changed'; windows: MaintenanceWindow[] }
  | { type: 'read-only-changed'; on: boolean; announce: boolean }
  | { type: 'window-notice'; audience: 'customers' | 'agents'; kind: 'maintenance-planned' | 'maintenance-cancelled' | 'maintenance-ended'; window: MaintenanceWindow }
  | { type: 'logged-out'; agentId: string }
  /** A socket took an identity (4409): every node closes its older sockets of that identity. */
  | { type: 'connection-claimed'; claim: ConnectionClaim }
  /** D5: a webhook subscription was made or deleted: every node reads the subscriptions again. */
  | { type: 'webhooks-changed' }
  /** Test mode on several nodes: the business time one node moved to; the others follow. */
  | { type: 'test-clock'; now: number };

export type DomainEventType = DomainEvent['type'];
