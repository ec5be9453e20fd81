import type { SchedulerLike, Subscription } from 'rxjs';

/**
 * A3: input in any tab. The service decides Away from the latest time it
 * heard; reports go out at most once per `everyMs`, the newest time each, so
 * a busy page does not flood the socket.
 */
export class ActivityReporter {
  #latest = 0;
  #reported = 0;
  #timer: Subscription | undefined;

  constructor(
    private readonly options: {
      scheduler: SchedulerLike;
      everyMs: number;
      /** Sends a report; false when not connected (it goes out once the connection is back). */
      report: (at: number) => boolean;
    },
  ) {}

  record(at: number): void {
    this.#latest = Math.max(this.#latest, at);
    if (this.#timer) return;
    this.flush();
    this.#timer = this.options.scheduler.schedule(() => {
      this.#timer = undefined;
      if (this.#latest > this.#reported) this.record(this.#latest);
    }, this.options.everyMs);
  }

  /** Sends the latest time now (at once on a new connection). */
  flush(): void {
    if (this.#latest !== 0 && this.options.report(this.#latest)) this.#reported = this.#latest;
  }

  stop(): void {
    this.#timer?.unsubscribe();
  }
}
