// Service throughput: S concurrent chat sessions (raw protocol clients on loopback), customers send
// at a fixed total rate for a while; prints sustained messages per second, customer→agent delivery
// latency p50/p99, the service's CPU time per delivered message (user + system, from /proc: on a shared
// machine a steadier figure than the rate), the time to bring every session to Active, and the
// service's memory per connection.
//
//   node --conditions=source --import tsx bench/service-throughput.ts [sessions] [messagesPerSecond] [seconds] [--before | --postgres | --nodes=3]
// With --before it measures the service as it was before the message-path work (support/before.ts) instead.
// With --postgres, one node on PostgreSQL and Redis (the local servers); with --nodes=3, three such nodes
// behind HAProxy (needs PostgreSQL, Redis and HAProxy, as the cluster tests do).
import { WebSocket } from 'ws';
import { BEFORE, checkoutOf } from './support/before.js';
import { ADMIN_TOKEN, BenchService, ms, percentile } from './support/service.js';
import { cpuMs, rss, startThroughputTarget, type StoreSetup } from './support/throughput-target.js';

const BEFORE_RUN = process.argv.includes('--before');
const SETUP: StoreSetup = process.argv.includes('--nodes=3') ? 'cluster' : process.argv.includes('--postgres') ? 'postgres' : 'sqlite';
const SESSIONS = Number(process.argv[2] ?? 2000);
const RATE = Number(process.argv[3] ?? 2000);
const SECONDS = Number(process.argv[4] ?? 10);
const CAPACITY = 50;
const AGENTS = Math.ceil(SESSIONS / CAPACITY);

type Frame = Record<string, unknown> & { type: string };

function open(url: string, hello: Record<string, unknown>, onFrame: (frame: Frame, socket: WebSocket) => void): Promise<WebSocket> {
  return new Promise((done) => {
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', v: 1, ...hello })));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      if (frame.type === 'welcome') done(socket);
      onFrame(frame, socket);
    });
  });
}

const config = {
  offices: [{ id: 'o', name: 'Office' }],
  buttons: [{ id: 'b', name: 'Button', office: 'o' }],
  agents: Array.from({ length: AGENTS }, (_, index) => ({ id: `a${index}`, name: `Agent ${index}`, offices: ['o'], capacity: CAPACITY })),
  // The current service also limits sockets, frames and chats per client address; the bench is one address.
  limits: BEFORE_RUN
    ? { framesPerSecond: 1000, frameBurst: 10_000 }
    : { framesPerSecond: 1000, frameBurst: 10_000, connectionsPerAddress: 100_000, addressFramesPerSecond: 100_000, addressFrameBurst: 1_000_000, chatStartsPerAddress: 100_000, chatStartsPerBrowser: 1000, waitingPerButton: 100_000 },
  presence: { offerTimeoutSeconds: 600 },
};
const service = BEFORE_RUN ? await startBefore() : await startThroughputTarget(SETUP, config);
const baseline = service.memory();
const setupStarted = performance.now();

/** The service as it was before the message-path work, on SQLite. */
async function startBefore() {
  const before = new BenchService(config, { checkout: checkoutOf(BEFORE) });
  await before.start();
  return { url: before.url, wsUrl: before.wsUrl, memory: () => rss(before.child.pid!), cpuMs: () => cpuMs(before.child.pid!), stop: () => before.stop('SIGTERM') };
}

/** An agent token from the service itself (its format differs between the versions measured). */
async function agentToken(agentId: string): Promise<string> {
  const response = await fetch(`${service.url}/admin/agent-tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ agentId }) });
  return ((await response.json()) as { token: string }).token;
}

// Customers start once every agent is Available (a start before would be refused: nobody can answer).
let available = 0;
let allAvailable: () => void;
const everyoneAvailable = new Promise<void>((done) => (allAvailable = done));
const latencies: number[] = [];
let delivered = 0;
let lastDelivery = 0;
let measuring = false;
const agents = await Promise.all(
  Array.from({ length: AGENTS }, async (_, index) =>
    open(service.wsUrl, { role: 'agent', browserId: `bench-a${index}`, token: await agentToken(`a${index}`) }, (frame, socket) => {
      if (frame.type === 'welcome') socket.send(JSON.stringify({ type: 'presence', status: 'available' }));
      if (frame.type === 'presence' && (frame.presence as { status?: string }).status === 'available' && ++available === AGENTS) allAvailable();
      if (frame.type === 'offer') socket.send(JSON.stringify({ type: 'accept', offerId: frame.offerId }));
      const event = frame.event as { kind?: string; from?: string; text?: string } | undefined;
      if (frame.type === 'event' && event?.kind === 'message' && event.from === 'customer' && measuring) {
        latencies.push(performance.now() - Number(event.text!.slice(2)));
        delivered++;
        lastDelivery = performance.now();
      }
    }),
  ),
);

await everyoneAvailable;
const active = new Set<WebSocket>();
let activeCount = 0;
let allActive: () => void;
const everyoneActive = new Promise<void>((done) => (allActive = done));
const customers: WebSocket[] = [];
for (let index = 0; index < SESSIONS; index++) {
  customers.push(
    await open(service.wsUrl, { role: 'customer', browserId: `bench-c${index}`, button: 'b' }, (frame, socket) => {
      const event = frame.event as { kind?: string; state?: string } | undefined;
      if (frame.type === 'event' && event?.kind === 'state' && event.state === 'active' && !active.has(socket)) {
        active.add(socket);
        if (++activeCount === SESSIONS) allActive();
      }
    }),
  );
  customers.at(-1)!.send(JSON.stringify({ type: 'start' }));
}
await everyoneActive;
const setupSeconds = (performance.now() - setupStarted) / 1000;
const connected = service.memory();

// Sustained load: RATE messages a second spread over all sessions, for SECONDS.
measuring = true;
const cpuAtStart = service.cpuMs();
let sent = 0;
const started = performance.now();
await new Promise<void>((done) => {
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    for (; sent < due; sent++) customers[sent % SESSIONS]!.send(JSON.stringify({ type: 'message', cmid: `m${sent}`, text: `t:${performance.now()}` }));
    if (performance.now() - started >= SECONDS * 1000) {
      clearInterval(tick);
      done();
    }
  }, 5);
});
while (delivered < sent && performance.now() - started < (SECONDS + 10) * 1000) await new Promise((resolve) => setTimeout(resolve, 50));
// The rate the service kept up with: everything delivered, over the time from the first send to the last delivery.
const elapsed = (lastDelivery - started) / 1000;
const cpuPerMessage = ((service.cpuMs() - cpuAtStart) * 1000) / delivered;

for (const socket of [...customers, ...agents]) socket.terminate();
await service.stop();

const flag = BEFORE_RUN ? ' --before' : { sqlite: '', postgres: ' --postgres', cluster: ' --nodes=3' }[SETUP];
const command = `node --conditions=source --import tsx bench/service-throughput.ts ${SESSIONS} ${RATE} ${SECONDS}${flag}`;
const version = BEFORE_RUN ? `, before (${BEFORE})` : { sqlite: ', now', postgres: ', now, 1 node on PostgreSQL + Redis', cluster: ', now, 3 nodes on PostgreSQL + Redis behind HAProxy' }[SETUP];
const rows = [
  [`sustained messages per second (${SESSIONS} sessions, ${SECONDS} s)${version}`, `${Math.round(delivered / elapsed)} msg/s (${delivered} of ${sent} delivered in ${elapsed.toFixed(2)} s; offered ${RATE}/s)`, '≥ 2000 msg/s'],
  [`customer → agent delivery p50 / p99${version}`, `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))}`, 'p99 < 50 ms'],
  [`service CPU per delivered message${version}`, `${Math.round(cpuPerMessage)} µs (user + system, while sending and delivering)`, '—'],
  [`${SESSIONS} sessions connected, started and accepted (agents too)${version}`, `${setupSeconds.toFixed(1)} s`, '—'],
  [`service memory per connection${version}`, `${((connected - baseline) / (SESSIONS + AGENTS) / 1024).toFixed(1)} KiB (${SESSIONS + AGENTS} sockets)`, '—'],
];
for (const [what, figure, target] of rows) console.log(`| ${what} | ${figure} | ${target} | \`${command}\` |`);
process.exit(0);
