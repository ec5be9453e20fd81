// Chaos: customers (the SDK) and agents (the agent SDK, both in Node with ws) exchange messages while
// the service is drained (SIGTERM) or killed (SIGKILL) at random moments, and restarted on the same
// database. Agents answer every message and also write replies of their own during the disruptions.
// Prints lost, duplicated and out-of-order messages as the customers saw them, each way, and whether
// the database's transcript matches.
//
//   node --conditions=source --import tsx bench/chaos.ts [messages] [customers] [disruptions]
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CHAOS_AGENTS, runChaos } from './support/chaos-run.js';
import { BENCH_LIMITS, BenchService } from './support/service.js';

const MESSAGES = Number(process.argv[2] ?? 10_000);
const CUSTOMERS = Number(process.argv[3] ?? 50);
const DISRUPTIONS = Number(process.argv[4] ?? 10);

const service = new BenchService({
  offices: [{ id: 'o', name: 'Office' }],
  buttons: [{ id: 'b', name: 'Button', office: 'o' }],
  agents: CHAOS_AGENTS,
  maintenance: { drainWindowMs: 500, drainBatch: 100_000 },
  limits: BENCH_LIMITS,
  presence: { offerTimeoutSeconds: 600, disconnectGraceSeconds: 3600 },
  routing: { agentGraceSeconds: 3600 },
});
await service.start();
const database = () => new Database((JSON.parse(readFileSync(service.configFile, 'utf8')) as { databasePath: string }).databasePath, { readonly: true });

const rows = await runChaos({
  endpoint: service.url,
  messages: MESSAGES,
  customers: CUSTOMERS,
  disruptions: Array.from({ length: DISRUPTIONS }, () => async () => {
    const signal = Math.random() < 0.5 ? 'SIGTERM' : 'SIGKILL';
    await service.stop(signal);
    await service.start();
    return signal === 'SIGKILL' ? 'SIGKILL' : 'drain (SIGTERM)';
  }),
  async stored(sessionId) {
    const db = database();
    try {
      const events = db.prepare<[string], { seq: number; body: string }>("SELECT seq, body FROM events WHERE session_id = ? AND body LIKE '{\"kind\":\"message\"%' ORDER BY seq").all(sessionId);
      return events.map((row) => `${row.seq}:${(JSON.parse(row.body) as { text: string }).text}`);
    } finally {
      db.close();
    }
  },
});
await service.stop('SIGTERM');

const command = `node --conditions=source --import tsx bench/chaos.ts ${MESSAGES} ${CUSTOMERS} ${DISRUPTIONS}`;
for (const [what, figure, target] of rows) console.log(`| ${what} | ${figure} | ${target} | \`${command}\` |`);
process.exit(0);
