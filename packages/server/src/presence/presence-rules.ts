import type { BaseStatus, PresenceCause, PresenceReason, PresenceView } from '@parley/protocol';

/**
 * An agent's presence as the service stores it. `intent` is what was last
 * chosen (by the agent, an admin or the system); `status` is computed from the
 * intent, the offices and capacity. Pure data: the rules below never read a
 * clock; time comes in with each event.
 */
export interface PresenceState {
  agentId: string;
  intent: 'available' | 'away' | 'offline';
  custom?: string | undefined;
  offices: Record<string, 'available' | 'away'>;
  capacity: { used: number; total: number };
  status: BaseStatus;
  reason: PresenceReason;
  /** When the intent last changed by hand: automatic changes queued before it lose (P1). */
  manualAt: number;
  version: number;
  /** M2: what a planned window's Offline replaced, to give back when the window is over. */
  beforeMaintenance?: Pick<PresenceState, 'intent' | 'custom' | 'offices'> | undefined;
}

export interface CustomStatus {
  id: string;
  label: string;
  base: 'available' | 'away' | 'offline';
}

export interface PresenceRules {
  customStatuses: readonly CustomStatus[];
  /** What a declined offer does (P10): nothing, or Away with cause `declined`. */
  declineSetsAway: boolean;
}

export type PresenceEvent =
  /** Sign-in with no presence to restore: Offline, or the agent's default presence (A1, P9). */
  | { type: 'sign-in'; defaultStatus?: string | undefined }
  /** A manual change; without `office`, every office (A4, A5). */
  | { type: 'set'; status: string; office?: string | undefined; source: 'agent' | 'admin'; actor: string }
  | { type: 'capacity'; used: number; total: number }
  /** Automatic changes carry when their condition began, so a later manual change wins (P1). */
  | { type: 'idle'; since: number }
  | { type: 'missed'; since: number }
  | { type: 'declined'; since: number }
  | { type: 'disconnected' }
  | { type: 'maintenance' }
  /** M2: the planned window is over (or cancelled): back to what it replaced, unless the agent changed it since. */
  | { type: 'maintenance-over' }
  | { type: 'reset'; source: 'agent' | 'admin'; actor: string }
  | { type: 'logout'; actor: string };

export function initialPresence(agentId: string, offices: readonly string[], total: number, now: number): PresenceState {
  return {
    agentId,
    intent: 'offline',
    offices: Object.fromEntries(offices.map((office) => [office, 'available' as const])),
    capacity: { used: 0, total },
    status: 'offline',
    reason: { source: 'system', cause: 'default', actor: 'system', at: now },
    manualAt: now,
    version: 0,
  };
}

/** The base status from intent, offices and capacity: Available is soft, Away and Offline are sticky (P1). */
export function computeStatus(state: Pick<PresenceState, 'intent' | 'offices' | 'capacity'>): BaseStatus {
  if (state.intent !== 'available') return state.intent;
  const offices = Object.values(state.offices);
  if (offices.length > 0 && offices.every((office) => office === 'away')) return 'away';
  return state.capacity.used >= state.capacity.total ? 'busy' : 'available';
}

/** True when the agent can take new work in `office` (routing reads this). */
export function canTakeWork(state: PresenceState, office: string, pendingOffers = 0): boolean {
  return (
    state.intent === 'available' &&
    Object.hasOwn(state.offices, office) &&
    state.offices[office] === 'available' &&
    state.capacity.used + pendingOffers < state.capacity.total
  );
}

export function reducePresence(state: PresenceState, event: PresenceEvent, now: number, rules: PresenceRules): PresenceState {
  const system = (cause: PresenceCause): PresenceReason => ({ source: 'system', cause, actor: 'system', at: now });
  switch (event.type) {
    case 'sign-in': {
      const chosen = event.defaultStatus ? resolveStatus(event.defaultStatus, rules) : undefined;
      const intent = chosen?.intent ?? 'offline';
      return change(state, { intent, custom: chosen?.custom, offices: allOffices(state, 'available') }, system('default'), now, true);
    }
    case 'set': {
      const chosen = resolveStatus(event.status, rules);
      if (!chosen) return state;
      const reason: PresenceReason = { source: event.source, cause: 'manual', actor: event.actor, at: now };
      if (event.office === undefined) {
        const offices = allOffices(state, chosen.intent === 'away' ? 'away' : 'available');
        return change(state, { intent: chosen.intent, custom: chosen.custom, offices }, reason, now, true);
      }
      if (!Object.hasOwn(state.offices, event.office) || chosen.intent === 'offline') return state;
      // Available for one office brings an Away or Offline agent back for that office only.
      const wasAvailable = state.intent === 'available';
      const offices = { ...(wasAvailable ? state.offices : allOffices(state, 'away')), [event.office]: chosen.intent };
      const intent = wasAvailable || chosen.intent === 'available' ? 'available' : state.intent;
      return change(state, { intent, offices }, reason, now, true);
    }
    case 'capacity': {
      const next = { ...state, capacity: { used: event.used, total: event.total } };
      const status = computeStatus(next);
      const moved = next.capacity.used !== state.capacity.used || next.capacity.total !== state.capacity.total;
      if (status === state.status) return moved ? { ...next, version: state.version + 1 } : state;
      return { ...next, status, reason: system('capacity'), version: state.version + 1 };
    }
    case 'idle':
    case 'missed':
    case 'declined': {
      if (event.type === 'declined' && !rules.declineSetsAway) return state;
      // Only Available/Busy move to Away; a sticky manual Away or Offline stays as it is,
      // and a manual change made after the condition began wins.
      if (state.intent !== 'available' || state.manualAt > event.since) return state;
      return change(state, { intent: 'away', custom: undefined }, system(event.type), now, false);
    }
    case 'disconnected':
      if (state.intent === 'offline') return state;
      return change(state, { intent: 'offline', custom: undefined }, system('disconnect'), now, false);
    case 'maintenance': {
      if (state.intent === 'offline') return state;
      const beforeMaintenance = { intent: state.intent, custom: state.custom, offices: { ...state.offices } };
      return { ...change(state, { intent: 'offline', custom: undefined }, system('maintenance'), now, false), beforeMaintenance };
    }
    case 'maintenance-over': {
      const saved = state.beforeMaintenance;
      if (!saved) return state;
      // Still Offline for the window (nobody chose anything since): give back what it replaced.
      if (state.intent === 'offline' && state.reason.source === 'system' && state.reason.cause === 'maintenance') {
        return { ...change(state, saved, system('maintenance'), now, false), beforeMaintenance: undefined };
      }
      return { ...state, beforeMaintenance: undefined };
    }
    case 'reset':
      return change(state, { intent: 'available', custom: undefined, offices: allOffices(state, 'available') }, { source: event.source, cause: 'reset', actor: event.actor, at: now }, now, true);
    case 'logout':
      return change(state, { intent: 'offline', custom: undefined }, { source: 'agent', cause: 'manual', actor: event.actor, at: now }, now, true);
  }
}

export function toView(state: PresenceState): PresenceView {
  return {
    agentId: state.agentId,
    status: state.status,
    custom: state.custom,
    offices: { ...state.offices },
    capacity: { ...state.capacity },
    reason: { ...state.reason },
    version: state.version,
  };
}

function resolveStatus(status: string, rules: PresenceRules): { intent: PresenceState['intent']; custom?: string } | undefined {
  if (status === 'available' || status === 'away' || status === 'offline') return { intent: status };
  const custom = rules.customStatuses.find((candidate) => candidate.id === status);
  return custom ? { intent: custom.base, custom: custom.id } : undefined;
}

function allOffices(state: PresenceState, value: 'available' | 'away'): Record<string, 'available' | 'away'> {
  return Object.fromEntries(Object.keys(state.offices).map((office) => [office, value]));
}

function change(
  state: PresenceState,
  patch: Partial<Pick<PresenceState, 'intent' | 'custom' | 'offices'>>,
  reason: PresenceReason,
  now: number,
  manual: boolean,
): PresenceState {
  const next = { ...state, ...patch };
  return { ...next, status: computeStatus(next), reason, manualAt: manual ? now : state.manualAt, version: state.version + 1 };
}
