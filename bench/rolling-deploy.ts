// Rolling deploy (N2): N customers on the real SDK and their agents on the agent SDK (Node, ws), all
// through HAProxy in front of 3 nodes on PostgreSQL and Redis. Each node in turn is drained (SIGTERM)
// and started again while traffic flows: every customer of the drained node writes while it moves.
// Prints drain-to-resumed percentiles, lost / duplicated / out-of-order messages, new chats refused
// during the deploy, and the reconnect herd per 100 ms. The agents run in a Node process of their own
// (support/agents-process.ts): this one runs and times only the customers, and prints its own
// event-loop delay during the deploy (what it could add to the figures).
//
//   node --conditions=source --import tsx bench/rolling-deploy.ts [N]
// BENCH_AGENTS sets the number of agents (default N / 50, at least 3); BENCH_DEBUG=1 prints what is
// missing, what the store holds, the agents' failed replies and the nodes' warnings.
// Needs PostgreSQL, Redis and HAProxy as the cluster tests do (packages/server/src/test-support/cluster.ts).
import { filter, firstValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { createChatClient, type ChatClient, type WebSocketConstructor } from '../packages/sdk/src/index.js';
import { Cluster } from '../packages/server/src/test-support/cluster.js';
import { AgentsProcess } from './support/agents-process.js';
import { loopDelay } from './support/loop-delay.js';
import { BENCH_CLUSTER, ms, percentile } from './support/service.js';

const N = Number(process.argv[2] ?? 1000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? Math.max(3, Math.ceil(N / 50)));
const progress = (what: string) => process.stderr.write(`${what}\n`);
const until = <T>(source: import('rxjs').Observable<T>, test: (value: T) => boolean) => firstValueFrom(source.pipe(filter(test)));

const cluster = await Cluster.start({
  overrides: {
    ...BENCH_CLUSTER,
    // Capacity to spare: agents land on any node, and a node routes to the agents connected to it.
    agents: Array.from({ length: AGENTS }, (_, index) => ({ id: `a${index}`, name: `Agent ${index}`, offices: ['o'], capacity: 50 })),
    maintenance: { drainWindowMs: 1000, drainBatch: 100_000 },
    // Every client of the bench is one address (127.0.0.1, forwarded by HAProxy).
    limits: { framesPerSecond: 1000, frameBurst: 10_000, connectionsPerAddress: 100_000, addressFramesPerSecond: 100_000, addressFrameBurst: 1_000_000, chatStartsPerAddress: 100_000, chatStartsPerBrowser: 1000, waitingPerButton: 100_000 },
    // Graces past the run: this bench measures the move between nodes; an agent reconnecting through
    // the balancer is back well within the default graces anyway (M7).
    presence: { offerTimeoutSeconds: 600, disconnectGraceSeconds: 3600 },
    routing: { agentGraceSeconds: 3600 },
  },
});
const agents = await AgentsProcess.start(
  cluster.balancer.url,
  Array.from({ length: AGENTS }, (_, index) => `a${index}`),
  { oneByOne: true },
);

const newCustomer = () => createChatClient({ endpoint: cluster.balancer.url, button: 'b', WebSocket: WebSocket as unknown as WebSocketConstructor, availabilityGraceMs: 60_000 });
const customers: ChatClient[] = Array.from({ length: N }, newCustomer);
await Promise.all(customers.map((chat) => until(chat.connection$, (state) => state.status === 'open')));
progress(`${N} customers connected`);
for (let start = 0; start < N; start += 100) await Promise.all(customers.slice(start, start + 100).map((chat) => chat.start({ name: 'bench' })));
progress(`${N} chats started`);
const active = Promise.all(customers.map((chat) => until(chat.session$, (session) => session.state === 'active')));
if (process.env.BENCH_DEBUG) {
  // A chat left Waiting with an agent free would stall the bench here: say what the nodes logged.
  const stalled = setTimeout(() => {
    for (const node of [...retired, ...cluster.nodes]) for (const line of node.logLines().filter((entry) => (entry.level as number) >= 40).slice(0, 5)) console.error('node log', JSON.stringify(line).slice(0, 600));
  }, 120_000);
  void active.then(() => clearTimeout(stalled));
}
await active;
progress(`${N} chats active`);
// Each customer's texts name it (`#12`), so a message missing at the end can be found in the store.
await Promise.all(customers.map((chat, at) => chat.send(`before #${at}`)));
await Promise.all(customers.map((chat, at) => until(chat.messages$, (messages) => messages.some((message) => message.text === `re: before #${at}`))));
progress('every customer answered: the deploy starts');

// New chats keep coming during the deploy: each is a fresh visitor who starts one.
let refused = 0;
let started = 0;
let deploying = true;
const arrivals = (async () => {
  while (deploying) {
    const visitor = newCustomer();
    // A start that gets no answer within 10 s counts as refused.
    let timer: NodeJS.Timeout | undefined;
    const tooLate = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), 10_000)));
    try {
      await Promise.race([until(visitor.connection$, (state) => state.status === 'open').then(() => visitor.start({ name: 'arrival' })), tooLate]);
      started++;
    } catch {
      refused++;
    } finally {
      clearTimeout(timer);
    }
    visitor.close();
  }
})();

const sinceDrain: number[] = [];
const herd = new Map<number, number>();
const sent = customers.map((_, at) => [`before #${at}`]);
const delay = loopDelay();
const deployStart = performance.now();
let round = -1;
/** The drained processes, whose logs BENCH_DEBUG prints with the running nodes'. */
const retired: Array<(typeof cluster.nodes)[number]> = [];
for (let index = 0; index < 3; index++) {
  round = index;
  const drainedAt = performance.now();
  // Each customer the node holds sees its connection go, writes meanwhile, and is back on another node.
  customers.forEach((chat, at) => {
    void until(chat.connection$, (state) => state.status === 'reconnecting').then(async () => {
      if (round !== index) return;
      sent[at]!.push(`during ${index} #${at}`);
      await chat.send(`during ${index} #${at}`);
      await until(chat.connection$, (state) => state.status === 'open');
      const now = performance.now();
      sinceDrain.push(now - drainedAt);
      const bucket = Math.floor((now - deployStart) / 100);
      herd.set(bucket, (herd.get(bucket) ?? 0) + 1);
    });
  });
  const upBefore = cluster.balancer.transitions(cluster.name(index), 'UP');
  progress(`draining node${index + 1}`);
  const drained = cluster.nodes[index]!;
  await drained.kill('SIGTERM');
  retired.push(drained);
  await cluster.restart(index);
  await cluster.balancer.marked(cluster.name(index), 'UP', upBefore);
  progress(`node${index + 1} back in the balancer`);
  await Promise.all(customers.map((chat) => until(chat.connection$, (state) => state.status === 'open')));
  progress('every customer connected');
}
const deployDelay = delay.stop();
deploying = false;
await arrivals;
progress('arrivals stopped');
// Every message sent has its echo once the agents (moved too) have caught up.
// A message lost would never be answered: after a minute, what is missing is counted.
const caughtUp = Promise.all(customers.map((chat, at) => until(chat.messages$, (messages) => sent[at]!.every((text) => messages.some((message) => message.text === `re: ${text}`)))));
await Promise.race([caughtUp, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);

let lost = 0;
let duplicated = 0;
const missing: Array<{ at: number; text: string }> = [];
let outOfOrder = 0;
for (const [at, chat] of customers.entries()) {
  const texts = (await firstValueFrom(chat.messages$)).map((message) => message.text);
  for (const text of sent[at]!.flatMap((text) => [text, `re: ${text}`])) {
    const count = texts.filter((candidate) => candidate === text).length;
    if (count === 0) lost++;
    if (count === 0 && process.env.BENCH_DEBUG) missing.push({ at, text });
    if (count > 1) duplicated += count - 1;
  }
  const mine = texts.filter((text) => !text.startsWith('re: '));
  if (mine.join('|') !== sent[at]!.join('|')) outOfOrder++;
}
const mean = sinceDrain.length / Math.max(1, herd.size);
const peak = Math.max(0, ...herd.values());

if (process.env.BENCH_DEBUG) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: cluster.database.url });
  await client.connect();
  for (const { at, text } of missing) {
    const chat = customers[at]!;
    const [connection, session, messages] = await Promise.all([firstValueFrom(chat.connection$), firstValueFrom(chat.session$), firstValueFrom(chat.messages$)]);
    console.error('missing', at, text, JSON.stringify({ connection, session, messages: messages.map((message) => [message.seq, message.status, message.text]) }));
    const stored = await client.query(`SELECT session_id, seq, body FROM events WHERE session_id = (SELECT session_id FROM events WHERE body LIKE $1 LIMIT 1) ORDER BY seq`, [`%#${at}"%`]);
    for (const row of stored.rows as Array<{ session_id: string; seq: number; body: string }>) console.error('  stored', row.session_id, row.seq, row.body.slice(0, 160));
  }
  const rows = await client.query(`SELECT body FROM events WHERE body LIKE '%re: during%'`);
  const during = await client.query(`SELECT body FROM events WHERE body LIKE '%"during %'`);
  console.error('stored replies', rows.rowCount, 'stored during', during.rowCount, 'sent during', sent.flat().filter((text) => text.startsWith('during')).length);
  await client.end();
  const report = await agents.report();
  for (const [agentId, sessions] of Object.entries(report.sessions)) console.error('agent', agentId, 'sessions', sessions.length);
  console.error('failed replies', JSON.stringify(report.failures.slice(0, 10)), report.failures.length);
  for (const node of [...retired, ...cluster.nodes]) for (const line of node.logLines().filter((entry) => (entry.level as number) >= 40).sort((a, b) => (b.level as number) - (a.level as number)).slice(0, 8)) console.error('node log', JSON.stringify(line).slice(0, 600));
}
for (const chat of customers) chat.close();
agents.close();
await cluster.stop();

const command = `node --conditions=source --import tsx bench/rolling-deploy.ts ${N}`;
const rows = [
  [`rolling deploy, 3 nodes behind HAProxy: drain-to-resumed p50 / p95 / p99 (${sinceDrain.length} moves, N = ${N})`, `${ms(percentile(sinceDrain, 50))} / ${ms(percentile(sinceDrain, 95))} / ${ms(percentile(sinceDrain, 99))}`, 'p99 ≤ 1500 ms'],
  ['rolling deploy: lost / duplicated / out of order', `${lost} / ${duplicated} / ${outOfOrder}`, '0 / 0 / 0'],
  ['rolling deploy: new chats refused during the deploy', `${refused} of ${refused + started}`, '0'],
  ['rolling deploy: bench process (customers only) event-loop delay during the deploy, p50 / p99 / max', deployDelay, '—'],
  ['rolling deploy: reconnect herd, peak per 100 ms vs mean', `${peak} vs ${mean.toFixed(1)} (${(peak / Math.max(mean, 1e-9)).toFixed(2)}×)`, '≤ 2×'],
];
for (const [what, figure, target] of rows) console.log(`| ${what} | ${figure} | ${target} | \`${command}\` |`);
process.exit(0);
