// Resume after drain (M3): N customers on the real SDK and their agents on the real agent SDK (Node,
// ws) in active chats; the service is drained (SIGTERM) and a replacement starts on the same port and
// database; customers and agents both write while it is away. Prints drain-to-resumed percentiles,
// lost, duplicated and out-of-order messages (each way), and the reconnect herd per 100 ms; then the
// floor: N raw ws clients reconnecting at once with no resume. The agents run in a Node process of
// their own (support/agents-process.ts): this one runs and times only the customers, and prints its
// own event-loop delay during the drain (what it could add to the figures).
//
//   node --conditions=source --import tsx bench/resume-after-drain.ts [N]
import { filter, firstValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { createChatClient, type ChatClient, type WebSocketConstructor } from '../packages/sdk/src/index.js';
import { AgentsProcess } from './support/agents-process.js';
import { loopDelay } from './support/loop-delay.js';
import { BENCH_LIMITS, BenchService, ms, percentile } from './support/service.js';

const N = Number(process.argv[2] ?? 1000);
const AGENTS = Math.ceil(N / 50);
const until = <T>(source: import('rxjs').Observable<T>, test: (value: T) => boolean) => firstValueFrom(source.pipe(filter(test)));

const service = new BenchService({
  offices: [{ id: 'o', name: 'Office' }],
  buttons: [{ id: 'b', name: 'Button', office: 'o' }],
  agents: Array.from({ length: AGENTS }, (_, index) => ({ id: `a${index}`, name: `Agent ${index}`, offices: ['o'], capacity: 50 })),
  maintenance: { drainWindowMs: 1000, drainBatch: 100_000 },
  limits: BENCH_LIMITS,
  presence: { offerTimeoutSeconds: 600 },
});
await service.start();
console.error('started');
const agents = await AgentsProcess.start(
  service.url,
  Array.from({ length: AGENTS }, (_, index) => `a${index}`),
);

const customers: ChatClient[] = [];
for (let index = 0; index < N; index++) {
  customers.push(createChatClient({ endpoint: service.url, button: 'b', WebSocket: WebSocket as unknown as WebSocketConstructor, availabilityGraceMs: 60_000 }));
}
await Promise.all(customers.map((chat) => until(chat.connection$, (state) => state.status === 'open')));
const sessions: string[] = [];
for (let start = 0; start < N; start += 100) sessions.push(...(await Promise.all(customers.slice(start, start + 100).map((chat) => chat.start({ name: 'bench' })))));
await Promise.all(customers.map((chat) => until(chat.session$, (session) => session.state === 'active')));
console.error('customers active');
// Every chat is in the work of the agent that accepted it (as the agents' process reports).
const accepted = async () => new Set(Object.values((await agents.report()).sessions).flat());
for (let chats = await accepted(); !sessions.every((sessionId) => chats.has(sessionId)); chats = await accepted()) await new Promise((resolve) => setTimeout(resolve, 50));
console.error('chats active');
await Promise.all(customers.map((chat) => chat.send('before')));
await Promise.all(customers.map((chat) => until(chat.messages$, (messages) => messages.some((message) => message.text === 're: before'))));

console.error('before: answered');
// The drain: every customer writes while the service is away, and measures when it is back.
// Each agent writes to each of its chats while the service is away: two replies, in order.
const agentsWrote = (await agents.writeWhileAway(['agent during 1', 'agent during 2'])).wrote;
const delay = loopDelay();
const drainedAt = performance.now();
const resumedAt: number[] = new Array(N);
const resumed = customers.map((chat, index) =>
  until(chat.connection$, (state) => state.status === 'reconnecting')
    .then(() => chat.send('during'))
    .then(() => until(chat.connection$, (state) => state.status === 'open'))
    .then(() => (resumedAt[index] = performance.now())),
);
await service.stop('SIGTERM');
await service.start();
await Promise.all(resumed);
const drainDelay = delay.stop();
await agentsWrote;
console.error('resumed');
// Everything arrived, or a minute passed (what an agent SDK reply failed for never will; it counts as lost).
// A poll, not an event: a failure can come after the customer's last change.
const arrived = async (chat: ChatClient) => {
  const messages = await firstValueFrom(chat.messages$);
  return ['re: during', 'agent during 1', 'agent during 2'].every((text) => messages.some((message) => message.text === text));
};
const giveUpAt = performance.now() + 60_000;
while (performance.now() < giveUpAt && !(await Promise.all(customers.map(arrived))).every(Boolean)) await new Promise((resolve) => setTimeout(resolve, 200));

let lost = 0;
let duplicated = 0;
const agentSide = { lost: 0, duplicated: 0, outOfOrder: 0 };
for (const chat of customers) {
  const messages = await firstValueFrom(chat.messages$);
  for (const text of ['before', 'during', 're: before', 're: during']) {
    const count = messages.filter((message) => message.text === text).length;
    if (count === 0) lost++;
    if (count > 1) duplicated += count - 1;
  }
  const own = messages.filter((message) => message.text.startsWith('agent during')).map((message) => message.text);
  for (const text of ['agent during 1', 'agent during 2']) {
    const count = own.filter((candidate) => candidate === text).length;
    if (count === 0) agentSide.lost++;
    if (count > 1) agentSide.duplicated += count - 1;
  }
  if (own.indexOf('agent during 2') >= 0 && own.indexOf('agent during 2') < own.indexOf('agent during 1')) agentSide.outOfOrder++;
}
const agentFailures = (await agents.report()).failures;
const sinceDrain = resumedAt.map((at) => at - drainedAt);
const sinceReady = resumedAt.map((at) => at - service.readyAt);
const buckets = new Map<number, number>();
for (const at of sinceReady) buckets.set(Math.floor(at / 100), (buckets.get(Math.floor(at / 100)) ?? 0) + 1);
const spanBuckets = Math.max(...buckets.keys()) - Math.min(...buckets.keys()) + 1;
const mean = N / spanBuckets;
const peak = Math.max(...buckets.values());

for (const chat of customers) chat.close();
agents.close();
await service.stop('SIGTERM');

// The floor: the same number of plain sockets connecting at once, with nothing to resume.
const floor = new BenchService({ offices: [{ id: 'o', name: 'O' }], buttons: [{ id: 'b', name: 'B', office: 'o' }], agents: [], limits: BENCH_LIMITS });
await floor.start();
const floorStart = performance.now();
const connects = await Promise.all(
  Array.from({ length: N }, () =>
    new Promise<{ at: number; socket: WebSocket }>((done) => {
      const socket = new WebSocket(floor.wsUrl);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', v: 1, role: 'customer', browserId: `floor-${Math.random()}`, button: 'b' })));
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'welcome') done({ at: performance.now() - floorStart, socket });
      });
    }),
  ),
);
for (const { socket } of connects) socket.terminate();
await floor.stop('SIGTERM');

const command = `node --conditions=source --import tsx bench/resume-after-drain.ts ${N}`;
const rows = [
  [`drain-to-resumed p50 / p95 / p99 (N = ${N})`, `${ms(percentile(sinceDrain, 50))} / ${ms(percentile(sinceDrain, 95))} / ${ms(percentile(sinceDrain, 99))}`, '—'],
  ['resumed after the replacement accepted, p99', ms(percentile(sinceReady, 99)), '≤ 1500 ms'],
  ['lost / duplicated messages (both ways)', `${lost} / ${duplicated}`, '0 / 0'],
  [`agent replies (agent SDK) written during the drain: lost / duplicated / out of order (${2 * N})`, `${agentSide.lost} / ${agentSide.duplicated} / ${agentSide.outOfOrder}`, '0 / 0 / 0'],
  ['replies the agent SDK refused or could not send', `${agentFailures.length}${agentFailures.slice(0, 3).map((failure) => ` (${failure.text}: ${failure.code})`).join('')}`, '0'],
  ['bench process (customers only) event-loop delay during the drain, p50 / p99 / max', drainDelay, '—'],
  ['reconnect herd: peak per 100 ms vs mean', `${peak} vs ${mean.toFixed(1)} (${(peak / mean).toFixed(2)}×)`, '≤ 2×'],
  [`floor: ${N} raw sockets at once, hello→welcome p50 / p99`, `${ms(percentile(connects.map((c) => c.at), 50))} / ${ms(percentile(connects.map((c) => c.at), 99))}`, '—'],
];
for (const [what, figure, target] of rows) console.log(`| ${what} | ${figure} | ${target} | \`${command}\` |`);
process.exit(0);
