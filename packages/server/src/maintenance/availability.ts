import type { Availability, MaintenanceWindow } from '@parley/protocol';
import { canTakeWork, type PresenceState } from '../presence/presence-rules.js';

export interface AvailabilityInputs {
  office: string;
  button: string;
  readOnly: boolean;
  windows: readonly MaintenanceWindow[];
  /** M1: how long before a window customers are told about it. */
  noticeLeadMs: number;
  agents: readonly PresenceState[];
  /** Offers out per agent: an offered slot is not free. */
  pendingOffers: (agentId: string) => number;
  now: number;
}

/**
 * Whether a button can be answered right now, and why not (DESIGN
 * "Availability"). Online needs: a writable store (M6), no planned window
 * under way (M1), and an agent of the button's office Available with free
 * capacity. Never computed from business hours (P2).
 */
export function computeAvailability(inputs: AvailabilityInputs): Availability {
  const { button, now } = inputs;
  const current = inputs.windows.find((window) => window.startsAt <= now && now < window.endsAt);
  const upcoming = inputs.windows.find((window) => now < window.startsAt && window.startsAt - inputs.noticeLeadMs <= now);
  if (inputs.readOnly) return { button, online: false, reason: 'read-only', window: current ?? upcoming };
  if (current) return { button, online: false, reason: 'maintenance', window: current };
  const inOffice = inputs.agents.filter((agent) => agent.intent === 'available' && agent.offices[inputs.office] === 'available');
  if (inOffice.some((agent) => canTakeWork(agent, inputs.office, inputs.pendingOffers(agent.agentId)))) {
    return { button, online: true, reason: 'agents', window: upcoming };
  }
  return { button, online: false, reason: inOffice.length > 0 ? 'capacity' : 'agents', window: upcoming };
}
