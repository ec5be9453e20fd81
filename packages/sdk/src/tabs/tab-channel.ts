import { Observable, share } from 'rxjs';

/** A typed BroadcastChannel between the tabs of one origin. */
export interface TabChannel<T> {
  /** Messages posted by the other tabs (never this tab's own, as with BroadcastChannel). */
  readonly messages$: Observable<T>;
  post(message: T): void;
  close(): void;
}

export interface TabChannelOptions {
  /** Injected for tests and non-browser hosts; `undefined` means the platform has none. */
  BroadcastChannel?: typeof BroadcastChannel | undefined;
}

/**
 * Opens the named channel. Where the platform has no BroadcastChannel (old
 * browsers, Node) the channel is silent and posts go nowhere: every tab then
 * stands alone and still works.
 *
 * @example
 * const channel = createTabChannel<TabMessage>('parley:chat:https://chat.example.com');
 * channel.messages$.subscribe(applyFromLeader);
 */
export function createTabChannel<T>(name: string, options: TabChannelOptions = {}): TabChannel<T> {
  // `in`, not a default: an explicit `undefined` means "this platform has none".
  const Channel = 'BroadcastChannel' in options ? options.BroadcastChannel : globalThis.BroadcastChannel;
  if (!Channel) {
    return { messages$: new Observable<T>(), post() {}, close() {} };
  }
  const channel = new Channel(name);
  const messages$ = new Observable<T>((subscriber) => {
    const onMessage = (event: MessageEvent<T>) => subscriber.next(event.data);
    channel.addEventListener('message', onMessage);
    return () => channel.removeEventListener('message', onMessage);
  }).pipe(share());
  return {
    messages$,
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}
