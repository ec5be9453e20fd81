import type { Clock } from './clock.js';

interface Timer {
  due: number;
  order: number;
  callback: () => void;
}

/**
 * A clock that moves only when told. `advance` fires every timer that falls
 * due, in time order, with `now()` set to each timer's due time.
 */
export class FakeClock implements Clock {
  #now: number;
  #timers = new Set<Timer>();
  #order = 0;

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { due: this.#now + Math.max(0, ms), order: this.#order++, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = [...this.#timers].filter((timer) => timer.due <= target).sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (!next) break;
      this.#timers.delete(next);
      this.#now = next.due;
      next.callback();
    }
    this.#now = target;
  }
}
