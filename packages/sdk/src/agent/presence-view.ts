import type { PresenceReason, PresenceView } from '@parley/protocol';

/** An agent's presence as the console shows it: the service's view, plus what only the client knows. */
export interface AgentPresence {
  /** Undefined until the service has said. */
  view: PresenceView | undefined;
  /** P7: the connection is down; the service holds presence for its grace. */
  reconnecting: boolean;
  /** P1: when the agent last chose a status here; service changes computed before it are stale. */
  manualAt: number | undefined;
}

export type AgentPresenceEvent =
  | { type: 'server'; presence: PresenceView }
  /** The agent chose a status here (shown at once, confirmed by the service). */
  | { type: 'manual'; status: 'available' | 'away' | 'offline'; custom?: string | undefined; office?: string | undefined; agentId: string; at: number }
  | { type: 'connection'; open: boolean }
  /** P7: the grace passed with no connection: the service has set Offline (disconnect) by now. */
  | { type: 'grace-expired'; at: number };

export const INITIAL_PRESENCE: AgentPresence = { view: undefined, reconnecting: false, manualAt: undefined };

/**
 * The console's presence rules, pure: `(state, event) → state`, time in the
 * events. P3: only newer versions replace what is shown. P1: a manual choice
 * shows at once, and an automatic change the service computed before it does
 * not undo it. P7: a dropped connection overlays "reconnecting" over the held
 * presence, and past the grace shows Offline (disconnect). P11: every view
 * carries its reason.
 */
export function reduceAgentPresence(state: AgentPresence, event: AgentPresenceEvent): AgentPresence {
  switch (event.type) {
    case 'server': {
      const { presence } = event;
      // Optimistic views keep the last version heard, so this compares service to service.
      if (state.view && presence.version <= state.view.version) return state;
      const automatic = presence.reason.cause !== 'manual' && presence.reason.cause !== 'reset' && presence.reason.cause !== 'default';
      if (automatic && state.manualAt !== undefined && presence.reason.at < state.manualAt) return state;
      return { ...state, view: presence, manualAt: presence.reason.cause === 'manual' ? undefined : state.manualAt };
    }
    case 'manual': {
      if (!state.view) return state;
      const reason: PresenceReason = { source: 'agent', cause: 'manual', actor: event.agentId, at: event.at };
      if (event.office !== undefined) {
        const offices = { ...state.view.offices, [event.office]: event.status === 'available' ? 'available' : 'away' } as PresenceView['offices'];
        return { ...state, manualAt: event.at, view: { ...state.view, offices, reason } };
      }
      const full = state.view.capacity.used >= state.view.capacity.total;
      const status = event.status === 'available' && full ? 'busy' : event.status;
      const offices = Object.fromEntries(Object.keys(state.view.offices).map((office) => [office, event.status === 'away' ? 'away' : 'available'])) as PresenceView['offices'];
      return { ...state, manualAt: event.at, view: { ...state.view, status, custom: event.custom, offices, reason } };
    }
    case 'connection':
      return { ...state, reconnecting: !event.open };
    case 'grace-expired':
      if (!state.reconnecting || !state.view) return state;
      return { ...state, view: { ...state.view, status: 'offline', custom: undefined, reason: { source: 'system', cause: 'disconnect', actor: 'system', at: event.at } } };
  }
}
