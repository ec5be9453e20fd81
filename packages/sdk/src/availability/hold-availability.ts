import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { ConnectionState } from '../connection/connection.js';
import type { Availability, AvailabilityReason, MaintenanceWindow } from '@parley/protocol';

/** Availability as the SDK shows it: what the service said, and whether it may be out of date. Always these five keys. */
export interface AvailabilityView {
  button: string;
  online: boolean;
  reason: AvailabilityReason;
  /** The planned window announced or under way (M1), else `undefined`. */
  window: MaintenanceWindow | undefined;
  /** True while the service cannot be reached: this is the last value heard (M5). */
  stale: boolean;
}

/**
 * M5: while the connection is down, hold the last availability (marked
 * stale) for `graceMs`, so a drain or a short network loss never flips the
 * launcher to offline; past the grace, offline with reason `disconnected`.
 * Values that arrive meanwhile (the HTTP read before the first socket) are
 * shown as they come.
 */
export function holdAvailability(
  connection$: Observable<ConnectionState>,
  graceMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<Availability, AvailabilityView> {
  // Written out rather than composed from operators: the widget's size budget pays for each one.
  return (availability$) =>
    new Observable<AvailabilityView>((subscriber) => {
      let last: Availability | undefined;
      /** Unknown until the connection says: nothing is shown before. */
      let open: boolean | undefined;
      let grace: Subscription | undefined;
      const subscription = availability$.subscribe({
        next: (availability) => {
          last = availability;
          if (open !== undefined) subscriber.next(view(availability, false));
        },
        error: (error: unknown) => subscriber.error(error),
      });
      subscription.add(
        connection$.subscribe((state) => {
          const now = state.status === 'open';
          if (now === open) return;
          open = now;
          grace?.unsubscribe();
          if (open) return;
          if (last) subscriber.next(view(last, true));
          grace = scheduler.schedule(() => subscriber.next(disconnected(last)), graceMs);
        }),
      );
      subscription.add(() => grace?.unsubscribe());
      return subscription;
    });
}

/** Always the same keys, whatever the value came in (an `availability` frame carries a `type`). */
function view({ button, online, reason, window }: Availability, stale: boolean): AvailabilityView {
  return { button, online, reason, window, stale };
}

function disconnected(last: Availability | undefined): AvailabilityView {
  return { button: last?.button ?? '', online: false, reason: 'disconnected', window: last?.window, stale: true };
}
