import type { Config } from '../config/config-schema.js';
import type { Clock } from '../clock/clock.js';
import type { EventBus } from '../bus/event-bus.js';
import type { LimitCounters } from '../limits/limit-counters.js';
import type { DeadlineScheduler } from '../deadlines/deadline-scheduler.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { Store } from '../store/store.js';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

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

export const jsonLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

export const silentLogger: Logger = { info() {}, error() {} };
