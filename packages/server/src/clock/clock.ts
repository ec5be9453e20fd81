/**
 * Business time: every deadline, offer timeout and presence rule reads the
 * time from here, so tests move it instead of waiting (SPEC S10). Transport
 * heartbeats are not business time and use real timers.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` once `ms` have passed on this clock; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    // Node timers overflow past 2^31-1 ms (~24.8 days); re-arm for longer waits.
    const limit = 2 ** 31 - 1;
    let handle: NodeJS.Timeout;
    const due = Date.now() + ms;
    const arm = () => {
      const left = due - Date.now();
      handle = setTimeout(left > limit ? arm : callback, Math.min(Math.max(left, 0), limit));
    };
    arm();
    return () => clearTimeout(handle);
  },
};
