import { EMPTY, filter, merge, Observable } from 'rxjs';
import type { LocksLike } from '../tabs/leadership.js';

/** The browser's Web Locks, where there are any (not in Node 20). */
export function platformLocks(): LocksLike | undefined {
  return (globalThis.navigator as (Navigator & { locks?: LocksLike }) | undefined)?.locks;
}

/** When to retry at once: the network came back, or a hidden page became visible. */
export function platformWake$(): Observable<unknown> {
  if (typeof window === 'undefined' || typeof document === 'undefined') return EMPTY;
  return merge(domEvent(window, 'online'), domEvent(document, 'visibilitychange').pipe(filter(() => document.visibilityState === 'visible')));
}

/** When the browser says the network is gone: an open socket is presumed dead at once (no wait for the heartbeat). */
export function platformOffline$(): Observable<unknown> {
  if (typeof window === 'undefined') return EMPTY;
  return domEvent(window, 'offline');
}

/**
 * A DOM event as an observable: rxjs's fromEvent for an EventTarget, without its support for
 * Node and jQuery emitters (about a quarter of a kilobyte, brotli, of every bundle with the SDK).
 */
export function domEvent(target: EventTarget, type: string, options?: AddEventListenerOptions): Observable<Event> {
  return new Observable((subscriber) => {
    const listener = (event: Event) => subscriber.next(event);
    target.addEventListener(type, listener, options);
    return () => target.removeEventListener(type, listener, options);
  });
}
