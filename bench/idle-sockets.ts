// Idle visitors: N customer sockets on one node, each showing a chat button and doing nothing else,
// as most of a site's visitors do. Prints the service's memory per idle socket and the time for an
// availability change to reach all of them (p50/p99), for the service before the idle-visitor work
// (see support/before.ts) and now, on the same machine in the same run.
//
//   node --conditions=source --import tsx bench/idle-sockets.ts [sockets] [workers]
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocket } from 'ws';
import { BEFORE, checkoutOf } from './support/before.js';
import { ADMIN_TOKEN, BenchService, ms, percentile } from './support/service.js';

const ASKED = Number(process.argv[2] ?? 20_000);
// The service needs a file per socket. Where the hard limit cannot be raised past the count asked
// for (a container without CAP_SYS_RESOURCE), the bench measures as many as fit and says so.
const HARD_LIMIT = Number(execFileSync('bash', ['-c', 'ulimit -Hn']).toString().trim()) || Infinity;
const SOCKETS = Math.min(ASKED, HARD_LIMIT - 500);
const WORKERS = Number(process.argv[3] ?? 4);
const ROUNDS = 6;
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const now = () => performance.timeOrigin + performance.now();
const pause = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

const DEPLOYMENT = {
  offices: [{ id: 'o', name: 'Office' }],
  buttons: [{ id: 'b', name: 'Button', office: 'o' }],
  agents: [{ id: 'a', name: 'Agent', offices: ['o'] }],
};
// The current service limits sockets and frames per client address; the bench is one address.
const LIMITS_NOW = {
  limits: { connectionsPerAddress: 100_000, addressFramesPerSecond: 100_000, addressFrameBurst: 1_000_000 },
  http: { maxConnections: SOCKETS + 1000 },
};

function ask(worker: ChildProcess, message: object, answer: string): Promise<Record<string, unknown>> {
  const reply = new Promise<Record<string, unknown>>((done) => {
    const listen = (response: Record<string, unknown>) => {
      if (response.type !== answer) return;
      worker.off('message', listen);
      done(response);
    };
    worker.on('message', listen);
  });
  worker.send(message);
  return reply;
}

async function measure(label: string, checkout: string | undefined): Promise<string[]> {
  const service = new BenchService({ ...DEPLOYMENT, ...(checkout ? {} : LIMITS_NOW) }, { ...(checkout ? { checkout } : {}), files: SOCKETS + 5000 });
  await service.start();
  const { token } = (await (
    await fetch(`${service.url}/admin/agent-tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'a' }) })
  ).json()) as { token: string };
  const agent = new WebSocket(service.wsUrl);
  const answers: Array<() => void> = [];
  agent.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { type: string };
    if (frame.type === 'ping') agent.send('{"type":"pong"}');
    if (frame.type === 'welcome' || frame.type === 'result') answers.shift()?.();
  });
  await once(agent, 'open');
  const answered = () => new Promise<void>((done) => answers.push(done));
  agent.send(JSON.stringify({ type: 'hello', v: 1, role: 'agent', browserId: 'bench-agent', token }));
  await answered();
  await pause(1000);
  const before = rss(service.child.pid!);

  const workers = Array.from({ length: WORKERS }, () => fork(resolve(import.meta.dirname, 'support/idle-clients.ts'), [], { execArgv: ['--conditions=source', '--import', 'tsx'] }));
  const share = Math.ceil(SOCKETS / WORKERS);
  const connectStarted = performance.now();
  await Promise.all(workers.map((worker, index) => ask(worker, { type: 'start', start: { url: service.wsUrl, count: Math.min(share, SOCKETS - index * share), first: index * share } }, 'connected')));
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  await pause(3000);
  const perSocket = (rss(service.child.pid!) - before) / SOCKETS;

  // Availability flips with the agent's status; every socket showing the button hears it.
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(workers.map((worker) => ask(worker, { type: 'reset' }, 'reset')));
    const sentAt = now();
    agent.send(JSON.stringify({ type: 'presence', status: round % 2 === 0 ? 'available' : 'away', ref: `r${round}` }));
    await answered();
    for (;;) {
      const reports = await Promise.all(workers.map((worker) => ask(worker, { type: 'report' }, 'report')));
      const arrivals = reports.flatMap((report) => report.arrivals as number[]);
      if (arrivals.length >= SOCKETS) {
        latencies.push(...arrivals.map((arrival) => arrival - sentAt));
        break;
      }
      await pause(100);
    }
  }

  for (const worker of workers) worker.send({ type: 'close' });
  agent.terminate();
  await service.stop('SIGKILL');
  const command = 'node --conditions=source --import tsx bench/idle-sockets.ts';
  return [
    `| idle: service memory per idle customer socket (${SOCKETS} sockets), ${label} | ${(perSocket / 1024).toFixed(1)} KiB (RSS; ${SOCKETS} connected in ${connectSeconds.toFixed(1)} s) | ≤ 12 KiB | \`${command}\` |`,
    `| idle: availability change reaching all ${SOCKETS} sockets p50 / p99, ${label} | ${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))} (${ROUNDS} changes) | p99 ≤ 500 ms | \`${command}\` |`,
  ];
}

if (SOCKETS < ASKED) console.error(`The open-file limit here is ${HARD_LIMIT}: measuring ${SOCKETS} sockets instead of ${ASKED}.`);
const rows = [...(await measure(`before (${BEFORE})`, checkoutOf(BEFORE))), ...(await measure('now', undefined))];
for (const row of rows) console.log(row);
process.exit(0);
