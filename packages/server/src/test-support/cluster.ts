import { HEARTBEAT_MS } from '../presence/presence-service.js';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.js';
import { Balancer } from './balancer.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { freePort, TEST_REDIS_URL, testBusPrefix } from './redis.js';
import { ServiceProcess } from './service-process.js';

export interface ClusterOptions {
  /** Default: the shared test Redis (a prefix of the cluster's own keeps it apart). */
  busUrl?: string;
  /** The PostgreSQL server the cluster's database is created on. Default: the shared test server. */
  postgresUrl?: string;
  /** Configuration fields over the test configuration. */
  overrides?: Record<string, unknown>;
}

/**
 * Three real node processes (`parley-server`, test mode) on a PostgreSQL
 * database and a Redis prefix of their own, behind real HAProxy on the
 * committed deploy/haproxy.cfg. Each node keeps its port across restarts, as
 * a balancer's server list expects; all share one business time (a
 * configuration with `testMode: false` runs them on the real clock instead).
 */
export class Cluster {
  #store: Promise<PostgresStore> | undefined;

  private constructor(
    readonly database: TestDatabase,
    readonly configFile: string,
    readonly ports: readonly number[],
    readonly nodes: ServiceProcess[],
    readonly balancer: Balancer,
    readonly env: Record<string, string>,
  ) {}

  /** Test mode (one shared business time) unless the configuration says `testMode: false`, as the benchmarks' does: they run on the real clock. */
  static #env(options: ClusterOptions): Record<string, string> {
    return options.overrides?.testMode === false ? { PARLEY_TEST_MODE: '0' } : {};
  }

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const database = await createTestDatabase('cluster', options.postgresUrl);
    const ports = [await freePort(), await freePort(), await freePort()];
    const configFile = await ServiceProcess.configFile({
      databaseUrl: database.url,
      busUrl: options.busUrl ?? TEST_REDIS_URL,
      busPrefix: testBusPrefix('cluster'),
      // Per-address limits count the client behind the balancer (X-Forwarded-For).
      trustedProxies: ['loopback'],
      ...options.overrides,
    });
    const started: ServiceProcess[] = [];
    const env = Cluster.#env(options);
    const startNode = async (port: number) => {
      const node = await ServiceProcess.start(configFile, { env: { ...env, PORT: String(port) } });
      started.push(node);
      return node;
    };
    try {
      // The first node migrates the schema and stores the business time; the others join both.
      const first = await startNode(ports[0]!);
      const others = await Promise.all(ports.slice(1).map(startNode));
      const balancer = await Balancer.start(`127.0.0.1:${await freePort()}`, ports.map((port) => `127.0.0.1:${port}`));
      return new Cluster(database, configFile, ports, [first, ...others], balancer, env);
    } catch (error) {
      // Nothing of a cluster that did not start is left behind.
      await Promise.allSettled(started.map((node) => node.kill('SIGKILL')));
      await database.drop();
      throw error;
    }
  }

  /** Node `index` (0, 1 or 2) as it runs now (a restart replaces it). */
  node(index: number): ServiceProcess {
    const node = this.nodes[index];
    if (!node) throw new Error(`no node ${index}`);
    return node;
  }

  /** The cluster's database, read by the test itself: the store is the truth every node shares. */
  store(): Promise<PostgresStore> {
    this.#store ??= openPostgresStore({ url: this.database.url, poolSize: 2 });
    return this.#store;
  }

  /** Node `index`'s log lines at level error or above (a failed routing pass, a failed deadline). */
  errors(index: number): string[] {
    return this.node(index)
      .logLines()
      .filter((line) => Number(line.level) >= 50)
      .map((line) => `${this.name(index)}: ${String(line.msg)} ${JSON.stringify(line.err ?? '')}`);
  }

  /**
   * Moves the shared business time by `ms` through node `via`, a heartbeat at a time, as time
   * passes for running nodes: every live node beats at each step (the others follow the time over
   * the bus), so none is taken for dead by a jump. Each step waits for what fell due on `via`.
   */
  async advance(ms: number, via = 0): Promise<void> {
    for (let moved = 0; moved < ms; moved += HEARTBEAT_MS) await this.node(via).advance(Math.min(HEARTBEAT_MS, ms - moved));
  }

  /** The node HAProxy calls `nodeN` (N = index + 1). */
  name(index: number): string {
    return `node${index + 1}`;
  }

  /** The index of the node HAProxy names `name` (node1…). */
  indexOf(name: string): number {
    return Number(/^node(\d)$/.exec(name)?.[1] ?? 0) - 1;
  }

  /** Starts node `index` again, on its port, after it exited. */
  async restart(index: number): Promise<ServiceProcess> {
    const node = await ServiceProcess.start(this.configFile, { env: { ...this.env, PORT: String(this.ports[index]) } });
    this.nodes[index] = node;
    return node;
  }

  async stop(): Promise<void> {
    await this.balancer.stop();
    if (this.#store) await (await this.#store).pool.end();
    for (const node of this.nodes) if (node.child.exitCode === null && node.child.signalCode === null) await node.kill('SIGKILL');
    await this.database.drop();
  }
}
