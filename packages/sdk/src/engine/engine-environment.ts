import type { Observable, SchedulerLike } from 'rxjs';
import type { HelloFields } from '@parley/protocol';
import { Connection } from '../connection/connection.js';
import type { ReconnectTiming } from '../connection/reconnect-policy.js';
import type { WebSocketConstructor } from '../connection/web-socket-like.js';

/** What every engine needs from the platform, injected so tests and Node can pass their own. */
export interface EngineEnvironment {
  /** The service's base URL, e.g. `https://chat.example.com`. */
  endpoint: string;
  WebSocket: WebSocketConstructor;
  scheduler: SchedulerLike;
  random: () => number;
  /** When to retry at once: the network came back, a hidden page became visible. */
  wake$: Observable<unknown>;
  /** When the network is gone: the socket is presumed dead at once, not after the heartbeat. */
  offline$?: Observable<unknown> | undefined;
  newId: () => string;
  now: () => number;
  timing?: Partial<ReconnectTiming> | undefined;
}

/** The engine's one socket to the service; `hello` is asked for at every (re)connect. */
export function connectTo(environment: EngineEnvironment, hello: () => HelloFields): Connection {
  return new Connection({
    url: `${environment.endpoint.replace(/^http/, 'ws').replace(/\/$/, '')}/v1/socket`,
    WebSocket: environment.WebSocket,
    scheduler: environment.scheduler,
    random: environment.random,
    wake$: environment.wake$,
    ...(environment.offline$ ? { offline$: environment.offline$ } : {}),
    timing: environment.timing,
    hello,
  });
}
