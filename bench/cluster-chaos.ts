// Chaos on the cluster (N1–N3, M6): the chaos run of bench/chaos.ts through HAProxy in front of three
// nodes, on a PostgreSQL server and a Redis server of the bench's own. The disruptions: nodes drained
// (SIGTERM) or killed (SIGKILL) at random and started again, one PostgreSQL restart and one Redis
// restart among them. Prints lost, duplicated and out-of-order messages each way, and whether every
// transcript in PostgreSQL equals what the customer saw.
//
//   node --conditions=source --import tsx bench/cluster-chaos.ts [messages] [customers] [node disruptions]
// Needs PostgreSQL's server binaries, redis-server and HAProxy, as the cluster tests do.
import pg from 'pg';
import { Cluster } from '../packages/server/src/test-support/cluster.js';
import { PostgresProcess } from '../packages/server/src/test-support/postgres-process.js';
import { RedisProcess } from '../packages/server/src/test-support/redis.js';
import { CHAOS_AGENTS, runChaos } from './support/chaos-run.js';
import { BENCH_CLUSTER, BENCH_LIMITS } from './support/service.js';

const MESSAGES = Number(process.argv[2] ?? 10_000);
const CUSTOMERS = Number(process.argv[3] ?? 50);
const NODE_DISRUPTIONS = Number(process.argv[4] ?? 10);
const progress = (what: string) => process.stderr.write(`${what}\n`);

const postgres = await PostgresProcess.start();
const redis = await RedisProcess.start();
const cluster = await Cluster.start({
  postgresUrl: postgres.url,
  busUrl: redis.url,
  overrides: {
    ...BENCH_CLUSTER,
    agents: CHAOS_AGENTS,
    maintenance: { drainWindowMs: 500, drainBatch: 100_000 },
    limits: BENCH_LIMITS,
    presence: { offerTimeoutSeconds: 600, disconnectGraceSeconds: 3600 },
    routing: { agentGraceSeconds: 3600 },
  },
});

/** A node drained or killed, started again on its port, and back in the balancer. */
const nodeDisruption = async () => {
  const index = Math.floor(Math.random() * 3);
  const signal = Math.random() < 0.5 ? 'SIGTERM' : 'SIGKILL';
  const upBefore = cluster.balancer.transitions(cluster.name(index), 'UP');
  progress(`${signal} node${index + 1}`);
  await cluster.nodes[index]!.kill(signal);
  await cluster.restart(index);
  await cluster.balancer.marked(cluster.name(index), 'UP', upBefore);
  return signal === 'SIGKILL' ? 'node SIGKILL' : 'node drain (SIGTERM)';
};
const postgresRestart = async () => {
  progress('PostgreSQL restart');
  await postgres.stop();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await postgres.restart();
  return 'PostgreSQL restart';
};
const redisRestart = async () => {
  progress('Redis restart');
  await redis.kill();
  await redis.restart();
  return 'Redis restart';
};
const disruptions: Array<() => Promise<string>> = Array.from({ length: NODE_DISRUPTIONS }, () => nodeDisruption);
disruptions.splice(Math.floor(NODE_DISRUPTIONS / 3), 0, postgresRestart);
disruptions.splice(Math.floor((2 * NODE_DISRUPTIONS) / 3) + 1, 0, redisRestart);

const database = new pg.Pool({ connectionString: cluster.database.url, max: 2 });
database.on('error', () => {});
const rows = await runChaos({
  endpoint: cluster.balancer.url,
  messages: MESSAGES,
  customers: CUSTOMERS,
  disruptions,
  async stored(sessionId) {
    const { rows: events } = await database.query<{ seq: number; body: string }>("SELECT seq, body FROM events WHERE session_id = $1 AND body LIKE '{\"kind\":\"message\"%' ORDER BY seq", [sessionId]);
    return events.map((row) => `${row.seq}:${(JSON.parse(row.body) as { text: string }).text}`);
  },
});
await database.end();
await cluster.stop();
await redis.kill();
await postgres.remove();

const command = `node --conditions=source --import tsx bench/cluster-chaos.ts ${MESSAGES} ${CUSTOMERS} ${NODE_DISRUPTIONS}`;
for (const [what, figure, target] of rows) console.log(`| cluster ${what} | ${figure} | ${target} | \`${command}\` |`);
process.exit(0);
