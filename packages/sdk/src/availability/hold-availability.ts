import { asyncScheduler, defer, distinctUntilChanged, EMPTY, ignoreElements, map, merge, of, share, switchMap, tap, timer, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
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
  return (availability$) =>
    defer(() => {
      let last: Availability | undefined;
      const heard$ = availability$.pipe(
        tap((availability) => (last = availability)),
        share(),
      );
      const fresh$ = heard$.pipe(map((availability) => view(availability, false)));
      const views$ = connection$.pipe(
        map((state) => state.status === 'open'),
        distinctUntilChanged(),
        switchMap((open) => {
          if (open) return fresh$;
          const held = last;
          return merge(
            held ? of(view(held, true)) : EMPTY,
            fresh$,
            timer(graceMs, scheduler).pipe(map(() => disconnected(last))),
          );
        }),
      );
      return merge(heard$.pipe(ignoreElements()), views$);
    });
}

/** Always the same keys, whatever the value came in (an `availability` frame carries a `type`). */
function view({ button, online, reason, window }: Availability, stale: boolean): AvailabilityView {
  return { button, online, reason, window, stale };
}

function disconnected(last: Availability | undefined): AvailabilityView {
  return { button: last?.button ?? '', online: false, reason: 'disconnected', window: last?.window, stale: true };
}
