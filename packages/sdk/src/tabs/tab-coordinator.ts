import { BehaviorSubject, distinctUntilChanged, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { ParleyError } from '../errors/parley-error.js';
import { electLeader, type LocksLike } from './leadership.js';
import { createTabChannel } from './tab-channel.js';

/** What runs in the leader tab: it holds the socket and produces the state every tab shows. */
export interface TabEngine<S, N> {
  readonly snapshot$: Observable<S>;
  readonly notices$: Observable<N>;
  start(): Promise<void>;
  stop(): void;
}

/** What the tabs of one client say to each other over BroadcastChannel. */
export type CoordinatorMessage<S, N> =
  /** The parts of the leader's snapshot that changed since its last post (all of them after a `sync`). */
  | { kind: 'snapshot'; parts: Partial<S> }
  | { kind: 'notice'; notice: N }
  /** Leader → all: I hold it now; send again what I may have missed. */
  | { kind: 'leader' }
  | { kind: 'sync' }
  | { kind: 'command'; id: string; name: string; args: unknown[] }
  | { kind: 'reply'; id: string; ok: true; value: unknown }
  | { kind: 'reply'; id: string; ok: false; error: { code: string; message: string } };

export interface TabCoordinatorOptions<E extends TabEngine<S, N>, S, N> {
  /** Names the lock and the channel: one leader per name per browser. */
  name: string;
  initial: S;
  locks: LocksLike | undefined;
  BroadcastChannel: typeof BroadcastChannel | undefined;
  scheduler: SchedulerLike;
  newId: () => string;
  /** Builds the engine once this tab leads. */
  createEngine: () => Promise<E>;
  /** Carries out a command in the leader. */
  run: (engine: E, name: string, args: unknown[]) => Promise<unknown>;
  /** Snapshots cross BroadcastChannel by structured clone; errors need a plain form. */
  toWire: (parts: Partial<S>) => Partial<S>;
  fromWire: (parts: Partial<S>) => Partial<S>;
  commandTimeoutMs?: number;
}

export interface TabCoordinator<E, S, N> {
  readonly snapshot$: BehaviorSubject<S>;
  readonly notices$: Observable<N>;
  readonly leader$: Observable<boolean>;
  /** Resolves with the engine once this tab leads; undefined while it follows. */
  readonly leading: Promise<E> | undefined;
  /** Runs a command here when leading, else asks the leader (and the next one, if it changes). */
  command(name: string, ...args: unknown[]): Promise<unknown>;
  close(): void;
}

/**
 * One tab per browser holds the connection: the Web Lock holder. The others
 * mirror its state over BroadcastChannel and send it their commands. A
 * command sent while no tab leads is not lost: a new leader announces itself
 * and followers send it again, and a tab that becomes leader runs its own.
 * Without Web Locks or BroadcastChannel each tab leads itself.
 */
export function coordinateTabs<E extends TabEngine<S, N>, S, N>(options: TabCoordinatorOptions<E, S, N>): TabCoordinator<E, S, N> {
  const snapshot$ = new BehaviorSubject<S>(options.initial);
  const notices$ = new Subject<N>();
  const leader$ = new BehaviorSubject(false);
  const coordinated = Boolean(options.locks && options.BroadcastChannel);
  const channel = createTabChannel<CoordinatorMessage<S, N>>(options.name, { BroadcastChannel: coordinated ? options.BroadcastChannel : undefined });
  const leadership = electLeader(options.name, coordinated ? options.locks : undefined);
  const pending = new Map<string, { name: string; args: unknown[]; resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const engineSubscriptions: Subscription[] = [];
  let engine: E | undefined;
  let leading: Promise<E> | undefined;
  let closed = false;
  let posted: S | undefined;
  // Only the parts that changed cross the channel, so a follower keeps the others as they were (same objects).
  const postSnapshot = (snapshot: S, all: boolean) => {
    const parts = Object.fromEntries(Object.entries(snapshot as object).filter(([key, part]) => all || !posted || posted[key as keyof S] !== part)) as Partial<S>;
    posted = snapshot;
    if (Object.keys(parts).length > 0) channel.post({ kind: 'snapshot', parts: options.toWire(parts) });
  };

  const channelSubscription = channel.messages$.subscribe((message) => {
    if (leading) void leading.then(() => lead(message));
    else follow(message);
  });
  channel.post({ kind: 'sync' });

  void leadership.acquired.then(() => {
    if (!closed) leading = becomeLeader();
  });

  async function becomeLeader(): Promise<E> {
    engine = await options.createEngine();
    const own = engine;
    engineSubscriptions.push(
      own.snapshot$.subscribe((snapshot) => {
        snapshot$.next(snapshot);
        postSnapshot(snapshot, false);
      }),
      own.notices$.subscribe((notice) => {
        notices$.next(notice);
        channel.post({ kind: 'notice', notice });
      }),
    );
    leader$.next(true);
    channel.post({ kind: 'leader' });
    for (const [id, command] of pending) {
      pending.delete(id);
      options.run(own, command.name, command.args).then(command.resolve, command.reject);
    }
    if (!closed) await own.start();
    return own;
  }

  async function lead(message: CoordinatorMessage<S, N>): Promise<void> {
    if (message.kind === 'sync') postSnapshot(snapshot$.value, true);
    if (message.kind !== 'command') return;
    try {
      channel.post({ kind: 'reply', id: message.id, ok: true, value: await options.run(engine!, message.name, message.args) });
    } catch (error) {
      const { code, message: text } = error instanceof ParleyError ? error : new ParleyError('internal', String(error));
      channel.post({ kind: 'reply', id: message.id, ok: false, error: { code, message: text } });
    }
  }

  function follow(message: CoordinatorMessage<S, N>): void {
    if (message.kind === 'snapshot') snapshot$.next({ ...snapshot$.value, ...options.fromWire(message.parts) });
    if (message.kind === 'notice') notices$.next(message.notice);
    if (message.kind === 'leader') {
      channel.post({ kind: 'sync' });
      for (const [id, command] of pending) channel.post({ kind: 'command', id, name: command.name, args: command.args });
    }
    if (message.kind !== 'reply') return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new ParleyError(message.error.code, message.error.message));
  }

  return {
    snapshot$,
    notices$: notices$.asObservable(),
    leader$: leader$.pipe(distinctUntilChanged()),
    get leading() {
      return leading;
    },
    command(name, ...args) {
      if (leading) return leading.then((own) => options.run(own, name, args));
      const id = options.newId();
      return new Promise((resolve, reject) => {
        pending.set(id, { name, args, resolve, reject });
        options.scheduler.schedule(() => {
          if (pending.delete(id)) reject(new ParleyError('tab_timeout', 'No tab holds the connection right now; try again.'));
        }, options.commandTimeoutMs ?? 10_000);
        channel.post({ kind: 'command', id, name, args });
      });
    },
    close() {
      closed = true;
      for (const subscription of engineSubscriptions.splice(0)) subscription.unsubscribe();
      engine?.stop();
      channelSubscription.unsubscribe();
      channel.close();
      leadership.release();
    },
  };
}
