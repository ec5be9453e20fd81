import type { Config } from '../config/config-schema.js';
import type { Clock } from '../clock/clock.js';
import type { EventBus } from '../bus/event-bus.js';
import type { LimitCounters } from '../limits/limit-counters.js';
import type { DeadlineScheduler } from '../deadlines/deadline-scheduler.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../metrics/metrics.js';
import type { OriginPolicy } from '../transport/origins.js';
import type { Logger } from './logger.js';

/** What every part of the service shares. */
export interface ServiceContext {
  config: Config;
  store: Store;
  bus: EventBus;
  clock: Clock;
  deadlines: DeadlineScheduler;
  /** Announces a stored change to every node's delivery and listeners (never before it is stored). */
  emit(event: DomainEvent): void;
  log: Logger;
  /** Counts behind the per-address and per-browser limits (shared by every node of a deployment). */
  counters: LimitCounters;
  /** Prometheus metrics of this service (docs/server.md "Metrics"). */
  metrics: Metrics;
  /** Which page origins may open customer sockets and use the public API. */
  origins: OriginPolicy;
  /** Random ids (UUIDs); injectable so tests can predict them. */
  newId(): string;
}

/** Thrown by service operations with a protocol error code; the transport turns it into an error frame or HTTP status. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: import('@parley/protocol').ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

