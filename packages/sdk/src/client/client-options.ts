import { uuidv7 } from '../ids/uuid-v7.js';
import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';
import type { EngineEnvironment } from '../engine/engine-environment.js';
import { platformOffline$, platformWake$ } from '../platform/platform.js';
import type { LocksLike } from '../tabs/leadership.js';

/** Options both clients take: where the service is, and the platform, injectable. */
export interface ClientOptions {
  /** The chat service's base URL, e.g. `https://chat.example.com`. */
  endpoint: string;
  /** Default: the browser's WebSocket. In Node, pass `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Default: `navigator.locks`. `undefined` makes this tab stand alone. */
  locks?: LocksLike | undefined;
  /** Default: the platform's. `undefined` makes this tab stand alone. */
  BroadcastChannel?: typeof BroadcastChannel | undefined;
  /** Every timer runs on it. Default: `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** The jitter source. Default: `Math.random`. */
  random?: () => number;
  /** When to retry at once. Default: `online`, and a hidden page becoming visible. */
  wake$?: Observable<unknown>;
  /** When the network is gone: the socket is presumed dead at once. Default: the browser's `offline` event. */
  offline$?: Observable<unknown>;
  timing?: Partial<ReconnectTiming>;
}

/** The engine's environment from a client's options, the platform's where they say nothing. */
export function engineEnvironment(options: ClientOptions): EngineEnvironment {
  const scheduler = options.scheduler ?? asyncScheduler;
  return {
    endpoint: options.endpoint,
    WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor),
    scheduler,
    random: options.random ?? Math.random,
    wake$: options.wake$ ?? platformWake$(),
    offline$: options.offline$ ?? platformOffline$(),
    newId: () => uuidv7(),
    now: () => scheduler.now(),
    timing: options.timing,
  };
}
