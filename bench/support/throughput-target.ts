import { readFileSync } from 'node:fs';
import { Cluster } from '../../packages/server/src/test-support/cluster.js';
import { createTestDatabase } from '../../packages/server/src/test-support/postgres.js';
import { TEST_REDIS_URL, testBusPrefix } from '../../packages/server/src/test-support/redis.js';
import { BENCH_CLUSTER, BenchService } from './service.js';

/** Where the service under measure keeps its state: SQLite (one node), or PostgreSQL + Redis with one or three nodes. */
export type StoreSetup = 'sqlite' | 'postgres' | 'cluster';

export interface ThroughputTarget {
  url: string;
  wsUrl: string;
  /** Resident memory of the service's processes, in bytes. */
  memory(): number;
  /** CPU time of the service's processes so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
/** A process's CPU time so far (user + system), in ms (clock ticks of 10 ms). */
export const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** Starts the service the throughput bench measures, on the store setup asked for. */
export async function startThroughputTarget(setup: StoreSetup, config: Record<string, unknown>): Promise<ThroughputTarget> {
  if (setup === 'cluster') {
    const cluster = await Cluster.start({ overrides: { ...BENCH_CLUSTER, ...config } });
    return {
      url: cluster.balancer.url,
      wsUrl: cluster.balancer.wsUrl,
      memory: () => cluster.nodes.reduce((sum, node) => sum + rss(node.child.pid!), 0),
      cpuMs: () => cluster.nodes.reduce((sum, node) => sum + cpuMs(node.child.pid!), 0),
      stop: () => cluster.stop(),
    };
  }
  const database = setup === 'postgres' ? await createTestDatabase('throughput') : undefined;
  const service = new BenchService(database ? { ...config, databaseUrl: database.url, busUrl: TEST_REDIS_URL, busPrefix: testBusPrefix('throughput') } : config);
  await service.start();
  return {
    url: service.url,
    wsUrl: service.wsUrl,
    memory: () => rss(service.child.pid!),
    cpuMs: () => cpuMs(service.child.pid!),
    async stop() {
      await service.stop('SIGTERM');
      await database?.drop();
    },
  };
}
