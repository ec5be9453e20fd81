import { Writable } from 'node:stream';
import { FakeClock } from '../clock/fake-clock.js';
import type { ConfigInput } from '../config/config-schema.js';
import { HEARTBEAT_MS } from '../presence/presence-service.js';
import { createLogger } from '../service/logger.js';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { startTestService, type TestService } from './test-server.js';

export interface TestNodes {
  nodes: TestService[];
  stores: PostgresStore[];
  database: TestDatabase;
  /** One business time for every node (test mode). */
  clock: FakeClock;
  /** The error lines every node logged so far (`msg` of each). */
  errors(): string[];
  /**
   * Moves business time a heartbeat at a time, as it passes for running nodes: after each step
   * every live node has beaten (and reaped) and run the deadlines now due.
   */
  advance(ms: number): Promise<void>;
  /** Stops a node as a SIGKILL would, from the others' side: no more beats, no deadlines run, no socket closed. */
  kill(index: number): void;
  close(): Promise<void>;
}

/**
 * Several nodes of the service in this process, each with a store of its own
 * (its own pool of connections) on one new PostgreSQL database, sharing only
 * that database and the business time: what one node keeps in memory the
 * others do not see, as with separate processes.
 */
export async function startTestNodes(count: number, overrides: Partial<ConfigInput> = {}): Promise<TestNodes> {
  const database = await createTestDatabase('nodes');
  const clock = new FakeClock();
  const errors: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) errors.push(String((JSON.parse(line) as { msg?: unknown; err?: { message?: unknown } }).msg) + ': ' + String((JSON.parse(line) as { err?: { message?: unknown } }).err?.message ?? ''));
      done();
    },
  });
  const log = createLogger({ level: 'error', destination });
  const stores: PostgresStore[] = [];
  const nodes: TestService[] = [];
  // One after another: the first migrates the database and stores the epoch every node then reads.
  for (let index = 0; index < count; index++) {
    const store = await openPostgresStore({ url: database.url, poolSize: 6 });
    stores.push(store);
    // Nodes on a shared bus (busUrl) say which database they share, as the configuration requires.
    nodes.push(await startTestService({ ...(overrides.busUrl ? { databaseUrl: database.url } : {}), ...overrides }, { clock, store, log }));
  }
  const dead = new Set<number>();
  const live = () => nodes.filter((_, index) => !dead.has(index));
  return {
    nodes,
    stores,
    database,
    clock,
    errors: () => [...errors],
    async advance(ms) {
      for (let moved = 0; moved < ms; moved += HEARTBEAT_MS) {
        clock.advance(Math.min(HEARTBEAT_MS, ms - moved));
        await Promise.all(live().map((node) => node.server.service.heartbeat.latest));
        await Promise.all(live().map((node) => node.server.service.context.deadlines.runDue()));
      }
    },
    kill(index) {
      dead.add(index);
      nodes[index]!.server.service.stop();
    },
    async close() {
      for (const node of nodes) await node.close();
      for (const store of stores) await store.pool.end();
      await database.drop();
    },
  };
}
