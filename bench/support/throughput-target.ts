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
  stop(): Promise<void>;
}

export const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** Starts the service the throughput bench measures, on the store setup asked for. */
export async function startThroughputTarget(setup: StoreSetup, config: Record<string, unknown>): Promise<ThroughputTarget> {
  if (setup === 'cluster') {
    const cluster = await Cluster.start({ overrides: { ...BENCH_CLUSTER, ...config } });
    return {
      url: cluster.balancer.url,
      wsUrl: cluster.balancer.wsUrl,
      memory: () => cluster.nodes.reduce((sum, node) => sum + rss(node.child.pid!), 0),
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
    async stop() {
      await service.stop('SIGTERM');
      await database?.drop();
    },
  };
}
