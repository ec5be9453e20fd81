import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricSources {
  /** Open sockets of this node by role (`pending`: no hello yet). */
  connections(): Record<'customer' | 'agent' | 'pending', number>;
  /** Sessions by state, from the store. */
  sessionsByState(): Promise<Record<string, number>>;
}

/**
 * The service's Prometheus metrics (prom-client), one registry per service so
 * several services in one process never mix (docs/server.md "Metrics").
 * Served as Prometheus text at /metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  #sources: MetricSources | undefined;

  readonly messages = new Counter({
    name: 'parley_messages_total',
    help: 'Messages stored by this node, by author (customer, agent, system); a re-sent message is not counted again.',
    labelNames: ['from'] as const,
    registers: [this.registry],
  });
  readonly ackLatency = new Histogram({
    name: 'parley_ack_latency_seconds',
    help: 'From a message or reply frame read off the socket to its ack sent, by role.',
    labelNames: ['role'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly drains = new Counter({ name: 'parley_drains_total', help: 'Drains of this node (SIGTERM or POST /admin/drain).', registers: [this.registry] });
  readonly reconnects = new Counter({
    name: 'parley_reconnects_total',
    help: 'Clients that came back: customers resuming a session with their resume token, agents back within the disconnect grace.',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });
  readonly deadlineLag = new Histogram({
    name: 'parley_deadline_lag_seconds',
    help: 'How late a stored deadline ran after it fell due (service clock).',
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly storeLatency = new Histogram({
    name: 'parley_store_seconds',
    help: 'Duration of store calls, by operation; the _count series counts the calls.',
    labelNames: ['operation'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly busLag = new Histogram({
    name: 'parley_bus_lag_seconds',
    help: 'From a domain event published on the bus to a listener of this node receiving it.',
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    // The gauges read their sources when scraped; `collect` runs with the gauge as `this`.
    const sources = () => this.#sources;
    new Gauge({
      name: 'parley_connections',
      help: 'Open sockets of this node by role (pending: no hello yet).',
      labelNames: ['role'] as const,
      registers: [this.registry],
      collect() {
        for (const [role, count] of Object.entries(sources()?.connections() ?? {})) this.set({ role }, count);
      },
    });
    new Gauge({
      name: 'parley_sessions',
      help: 'Sessions in the store by state.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = (await sources()?.sessionsByState()) ?? {};
        for (const state of ['waiting', 'active', 'inactive', 'ended']) this.set({ state }, counts[state] ?? 0);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }

  /** Connects the gauges read at scrape time to what they count. */
  observe(sources: MetricSources): void {
    this.#sources = sources;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
