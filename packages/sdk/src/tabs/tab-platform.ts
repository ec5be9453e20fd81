import { distinctUntilChanged, map, type Observable } from 'rxjs';
import { platformLocks } from '../platform/platform.js';
import type { LocksLike } from './leadership.js';

/**
 * Web Locks and BroadcastChannel for a client: the platform's, unless the
 * options name them (an explicit `undefined` makes the tab stand alone).
 */
export function tabPlatform(options: { locks?: LocksLike | undefined; BroadcastChannel?: typeof BroadcastChannel | undefined }) {
  return {
    locks: 'locks' in options ? options.locks : platformLocks(),
    BroadcastChannel: 'BroadcastChannel' in options ? options.BroadcastChannel : globalThis.BroadcastChannel,
  };
}

/** A client's observable of one part of its snapshot, emitting only when that part changes. */
export function selectFrom<S>(snapshot$: Observable<S>) {
  return <T>(pick: (snapshot: S) => T): Observable<T> => snapshot$.pipe(map(pick), distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)));
}
