const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** D5: deliveries are tried again for a day after they were queued, then given up (status failed). */
export const GIVE_UP_AFTER_MS = 24 * HOUR;
const FIRST_RETRY_MS = 30 * SECOND;
const LONGEST_WAIT_MS = HOUR;

/** The wait after the `attempts`-th failed attempt: 30 s, doubling each time, at most an hour. */
export function retryDelay(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_WAIT_MS);
}
