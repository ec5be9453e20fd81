import { CLOSE, isTerminalClose } from '@parley/protocol';

/** Reconnect timing (DESIGN "Backoff otherwise"); one object, overridable per client. */
export const RECONNECT_DEFAULTS = {
  baseMs: 500,
  capMs: 30_000,
  /** Uptime after which a connection counts as healthy and the attempt count resets. */
  resetAfterMs: 5_000,
  /** Reconnect spread when the service drains without saying its window. */
  drainWindowMs: 1_000,
  /** Extra silence past the heartbeat interval before a connection counts as dead. */
  heartbeatGraceMs: 10_000,
  /**
   * After a drain, failed attempts keep coming back within the drain window (the replacement is
   * starting) for this long, instead of backing off: clients return soon after it accepts, spread
   * evenly. Past it, normal backoff.
   */
  drainRetryForMs: 30_000,
} as const;

export type ReconnectTiming = typeof RECONNECT_DEFAULTS;

/** Full jitter with a floor: `min(cap, base + random(0, base·2^attempt))`. */
export function backoffDelay(attempt: number, random: () => number, timing: Pick<ReconnectTiming, 'baseMs' | 'capMs'> = RECONNECT_DEFAULTS): number {
  return Math.min(timing.capMs, timing.baseMs + random() * timing.baseMs * 2 ** attempt);
}

/** The `ParleyError` code a terminal close becomes. */
const TERMINAL_ERRORS: Record<number, string> = {
  1008: 'policy_violation',
  4400: 'bad_protocol',
  4401: 'unauthorized',
  4403: 'forbidden',
  4410: 'logged_out',
};

export type CloseDecision =
  /** Do not reconnect; `error` is the code of the `ParleyError` to close with. */
  | { kind: 'terminal'; error: string }
  /** The service is restarting (1001, 1012, or it sent `reconnect`): come back within its window. */
  | { kind: 'drain'; delayMs: number }
  | { kind: 'backoff'; delayMs: number };

/**
 * What to do after a close: terminal codes stop, a drain spreads reconnects
 * over the window (M3), anything else backs off (1013 from its retry hint).
 */
export function decideAfterClose(
  close: { code: number; reason: string },
  context: { attempt: number; drainWindowMs: number | undefined; afterDrain: boolean; random: () => number; timing: ReconnectTiming },
): CloseDecision {
  if (isTerminalClose(close.code)) return { kind: 'terminal', error: TERMINAL_ERRORS[close.code] ?? 'closed' };
  if (context.drainWindowMs !== undefined || context.afterDrain || close.code === CLOSE.goingAway || close.code === CLOSE.serviceRestart) {
    return { kind: 'drain', delayMs: context.random() * (context.drainWindowMs ?? context.timing.drainWindowMs) };
  }
  const backoff = backoffDelay(context.attempt, context.random, context.timing);
  if (close.code === CLOSE.tryAgainLater) {
    const hintSeconds = Number(/\d+/.exec(close.reason)?.[0]);
    if (Number.isFinite(hintSeconds)) return { kind: 'backoff', delayMs: Math.max(backoff, hintSeconds * 1000) };
  }
  return { kind: 'backoff', delayMs: backoff };
}
