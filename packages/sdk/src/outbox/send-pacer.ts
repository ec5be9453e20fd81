/** A token bucket: sends left (fractions refill with time) as of `at`. */
export interface SendBudget {
  tokens: number;
  at: number;
}

/**
 * Paces sends so a whole outbox sent again after a reconnect stays within the
 * service's frame limit instead of having most of it dropped: `burst` at once,
 * then `perSecond`. Counts one send and returns 0 when it may go `now`, else
 * returns the ms until one may (and counts nothing).
 */
export function waitToSend(budget: SendBudget, pace: { perSecond: number; burst: number }, now: number): number {
  budget.tokens = Math.min(pace.burst, budget.tokens + ((now - budget.at) * pace.perSecond) / 1000);
  budget.at = now;
  if (budget.tokens < 1) return Math.ceil(((1 - budget.tokens) * 1000) / pace.perSecond);
  budget.tokens--;
  return 0;
}
