import type { ErrorCode, SessionState } from '@parley/protocol';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The lifecycle settings, already validated by the config (S1, S5, S6, S8). */
export interface LifecycleConfig {
  /** S1: minutes without a customer reply before Inactive (5–30), or null when off. */
  customerInactivityMinutes: number | null;
  /** S5: hours from Inactive to Ended (24–30). */
  inactiveEndHours: number;
  /** S6: hours an agent-initiated session waits for a first reply (24 standard, 48–54 enhanced). */
  agentInitiatedEndHours: number;
  /** S7: hours a notification sent with session longevity stays open. */
  notificationLongevityHours: number;
  /** S8: customer messages that opt out (compared trimmed, case-insensitively). */
  optOutKeywords: readonly string[];
}

/** What the lifecycle needs to know of a session. */
export interface LifecycleSession {
  state: SessionState;
  /** True after a customer message that no agent message has followed yet (S2). */
  awaitingReply: boolean;
  /** True while an agent-initiated session has had no customer reply (S6). */
  awaitingFirstReply: boolean;
}

export type LifecycleDeadline = 'inactivity' | 'end';

/**
 * What a lifecycle step decides. `deadlines` sets a deadline (a time) or clears
 * it (null); kinds not named stay as they are.
 */
export interface LifecycleDecision {
  refuse?: ErrorCode;
  transition?: { to: SessionState; reason: string };
  deadlines: Partial<Record<LifecycleDeadline, number | null>>;
  awaitingReply?: boolean;
  awaitingFirstReply?: boolean;
  optOut?: boolean;
}

export function isOptOut(text: string, config: LifecycleConfig): boolean {
  const word = text.trim().toLowerCase();
  return config.optOutKeywords.some((keyword) => keyword.toLowerCase() === word);
}

/** S1, S3, S6, S8: a customer wrote. */
export function onCustomerMessage(session: LifecycleSession, text: string, config: LifecycleConfig): LifecycleDecision {
  if (session.state === 'ended') return { refuse: 'session_ended', deadlines: {} };
  if (isOptOut(text, config)) {
    return { transition: { to: 'ended', reason: 'opt-out' }, deadlines: { inactivity: null, end: null }, optOut: true, awaitingReply: false };
  }
  // Any customer message stops the inactivity countdown and any pending end.
  const decision: LifecycleDecision = { deadlines: { inactivity: null, end: null }, awaitingReply: true, awaitingFirstReply: false };
  if (session.state === 'inactive') decision.transition = { to: 'waiting', reason: 'customer-returned' };
  return decision;
}

/** S2, S4: an agent wrote, at `now`. */
export function onAgentMessage(session: LifecycleSession, now: number, config: LifecycleConfig): LifecycleDecision {
  if (session.state === 'ended') return { refuse: 'session_ended', deadlines: {} };
  if (session.state === 'inactive') return { refuse: 'session_inactive', deadlines: {} };
  // The countdown starts at the agent's first message after the customer's last one;
  // further agent messages do not restart it.
  if (!session.awaitingReply || config.customerInactivityMinutes === null) return { deadlines: {} };
  return { deadlines: { inactivity: now + config.customerInactivityMinutes * MINUTE }, awaitingReply: false };
}

/** S1, S5, S6: a stored deadline fell due at `now`. */
export function onDeadline(session: LifecycleSession, kind: LifecycleDeadline, now: number, config: LifecycleConfig): LifecycleDecision {
  if (session.state === 'ended') return { deadlines: { inactivity: null, end: null } };
  if (kind === 'inactivity') {
    if (session.state !== 'active') return { deadlines: { inactivity: null } };
    return {
      transition: { to: 'inactive', reason: 'customer-inactivity' },
      deadlines: { inactivity: null, end: now + config.inactiveEndHours * HOUR },
    };
  }
  const reason = session.awaitingFirstReply ? 'no-reply' : session.state === 'inactive' ? 'inactive-timeout' : 'longevity-expired';
  return { transition: { to: 'ended', reason }, deadlines: { inactivity: null, end: null } };
}

/** S6: an agent started a session; it ends if the customer never replies. */
export function onAgentInitiated(now: number, config: LifecycleConfig): LifecycleDecision {
  return { deadlines: { end: now + config.agentInitiatedEndHours * HOUR }, awaitingFirstReply: true, awaitingReply: false };
}

/** S7: an automated notification ends its session at once, unless sent with session longevity. */
export function onNotification(now: number, longevity: boolean, config: LifecycleConfig): LifecycleDecision {
  if (!longevity) return { transition: { to: 'ended', reason: 'notification' }, deadlines: {} };
  return { deadlines: { end: now + config.notificationLongevityHours * HOUR }, awaitingFirstReply: true, awaitingReply: false };
}
