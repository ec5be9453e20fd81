import { decideAfterClose, type CloseDecision, type ReconnectTiming } from './reconnect-policy.js';

/**
 * What a connection remembers of a drain from one close to the next: the
 * window the service announced, and for a while after the drain, that failed
 * attempts keep its spread (the replacement is starting) instead of backing off.
 */
export class DrainMemory {
  #announcedMs: number | undefined;
  /** While set and in the future, failed attempts keep the drain's spread. */
  #retryUntil: number | undefined;
  #lastWindowMs: number | undefined;

  constructor(
    private readonly timing: ReconnectTiming,
    private readonly random: () => number,
  ) {}

  /** The service sent `reconnect` with this window. */
  announced(windowMs: number): void {
    this.#announcedMs = windowMs;
  }

  /** What to do after a close. `wasOpen`: the socket had been welcomed, so any earlier drain is over. */
  decide(close: { code: number; reason: string }, attempt: number, now: number, wasOpen: boolean): CloseDecision {
    if (wasOpen) this.#retryUntil = undefined;
    const afterDrain = this.#retryUntil !== undefined && now < this.#retryUntil;
    const drainWindowMs = this.#announcedMs ?? (afterDrain ? this.#lastWindowMs : undefined);
    const decision = decideAfterClose(close, { attempt, drainWindowMs, afterDrain, random: this.random, timing: this.timing });
    if (decision.kind === 'drain' && !afterDrain) {
      this.#retryUntil = now + this.timing.drainRetryForMs;
      this.#lastWindowMs = this.#announcedMs;
    }
    this.#announcedMs = undefined;
    return decision;
  }
}
