import { distinctUntilChanged, map, type Observable } from 'rxjs';
import type { EngineEnvironment } from '../engine/engine-environment.js';
import { ParleyError } from '../errors/parley-error.js';
import { platformLocks } from '../platform/platform.js';
import type { LocksLike } from './leadership.js';
import { coordinateTabs, type TabCoordinator, type TabEngine } from './tab-coordinator.js';
import { fromWire, toWire } from './wire-errors.js';

/**
 * The commands a client's tabs may ask of the leader's engine: a name, and
 * what it does with the engine. Only these names cross BroadcastChannel.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own arguments
export type CommandMap<E> = Record<string, (engine: E, ...args: any[]) => unknown>;

type Arguments<F> = F extends (engine: never, ...args: infer A) => unknown ? A : never;

/* eslint-disable @typescript-eslint/no-explicit-any -- read back from the engine's own types */
type SnapshotOf<E> = E extends TabEngine<infer S, any> ? S : never;
type NoticeOf<E> = E extends TabEngine<any, infer N> ? N : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface TabClientOptions<E, S, M extends CommandMap<E>> {
  /** Names the lock and the channel: one leader per name per browser. */
  name: string;
  initial: S;
  environment: EngineEnvironment;
  platform: { locks?: LocksLike | undefined; BroadcastChannel?: typeof BroadcastChannel | undefined };
  createEngine: () => Promise<E>;
  commands: M;
}

export interface TabClient<E, S, N, M extends CommandMap<E>> extends Omit<TabCoordinator<E, S, N>, 'command'> {
  /**
   * The snapshot's parts as observables named `<part>$`, each emitting only when its part changes
   * (parts are replaced, never mutated), with the client's `notices$` and `leader$`.
   */
  observables<K extends keyof S & string>(...parts: K[]): { [P in K as `${P}$`]: Observable<S[P]> } & Pick<TabCoordinator<E, S, N>, 'notices$' | 'leader$'>;
  /** Runs a command in the leader, whichever tab that is. */
  command<K extends keyof M & string>(name: K, ...args: Arguments<M[K]>): Promise<Awaited<ReturnType<M[K]>>>;
}

/**
 * One client on many tabs, for customers and agents alike: the leader tab
 * runs the engine; the others mirror its snapshot and send it the commands
 * of `commands`, by name.
 */
export function createTabClient<E extends TabEngine<SnapshotOf<E>, NoticeOf<E>>, M extends CommandMap<E>>(
  options: TabClientOptions<E, SnapshotOf<E>, M>,
): TabClient<E, SnapshotOf<E>, NoticeOf<E>, M> {
  type S = SnapshotOf<E>;
  const { commands } = options;
  const tabs = coordinateTabs<E, S, NoticeOf<E>>({
    name: options.name,
    initial: options.initial,
    locks: 'locks' in options.platform ? options.platform.locks : platformLocks(),
    BroadcastChannel: 'BroadcastChannel' in options.platform ? options.platform.BroadcastChannel : globalThis.BroadcastChannel,
    scheduler: options.environment.scheduler,
    newId: options.environment.newId,
    toWire,
    fromWire,
    createEngine: options.createEngine,
    run: async (engine, name, args) => {
      if (!Object.hasOwn(commands, name)) throw new ParleyError('bad_command', `No command ${name}.`);
      return commands[name]!(engine, ...args);
    },
  });
  return {
    ...tabs,
    get leading() {
      return tabs.leading;
    },
    observables: (...parts) => {
      const observables = Object.fromEntries(parts.map((part) => [`${part}$`, tabs.snapshot$.pipe(map((snapshot) => snapshot[part]), distinctUntilChanged())]));
      return { ...observables, notices$: tabs.notices$, leader$: tabs.leader$ } as never;
    },
    command: (name, ...args) => tabs.command(name, ...args) as never,
  };
}
