import { expect } from '@open-wc/testing';
import { TestScheduler } from 'rxjs/testing';
import type { ConnectionState } from '../connection/connection.js';
import type { Availability } from '@parley/protocol';
import { holdAvailability, type AvailabilityView } from './hold-availability.js';

const online: Availability = { button: 'shop', online: true, reason: 'agents' };
const states: Record<string, ConnectionState> = {
  o: { status: 'open' },
  r: { status: 'reconnecting', reason: 'maintenance', attempt: 0, nextInMs: 300 },
};

describe('availability holding (marbles)', () => {
  const scheduler = () =>
    new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });

  it('M5: holds the last value, marked stale, through a reconnect shorter than the grace', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const connection$ = hot<ConnectionState>('o 99ms r 499ms o', states);
      const availability$ = hot<Availability>('-a 599ms a', { a: online });
      const values: Record<string, AvailabilityView> = { f: { ...online, window: undefined, stale: false }, s: { ...online, window: undefined, stale: true } };
      expectObservable(availability$.pipe(holdAvailability(connection$, 30_000)), '^ 1s !').toBe('-f 98ms s 500ms f', values);
    });
  });

  it('M5: past the grace, offline with reason disconnected; fresh values when back', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const connection$ = hot<ConnectionState>('o 9ms r 59s o', states);
      // The service sends availability again right after the reconnect.
      const availability$ = hot<Availability>('-a 60020ms a', { a: online });
      const values: Record<string, AvailabilityView> = {
        f: { ...online, window: undefined, stale: false },
        s: { ...online, window: undefined, stale: true },
        d: { button: 'shop', online: false, reason: 'disconnected', window: undefined, stale: true },
      };
      expectObservable(availability$.pipe(holdAvailability(connection$, 30_000)), '^ 61s !').toBe('-f 8ms s 29999ms d 30011ms f', values);
    });
  });
});
