// Chaos: customers (the SDK) and agents (the agent SDK, both in Node with ws) exchange messages while
// the service is drained (SIGTERM) or killed (SIGKILL) at random moments, and restarted on the same
// database. Agents answer every message and also write replies of their own during the disruptions.
// Prints lost, duplicated and out-of-order messages as the customers saw them, each way, and whether
// the database's transcript matches.
//
//   node --conditions=source --import tsx bench/chaos.ts [messages] [customers] [disruptions]
import Database from 'better-sqlite3';
import { filter, firstValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { createChatClient, type ChatClient, type WebSocketConstructor } from '../packages/sdk/src/index.js';
import { SdkAgent } from './support/sdk-agents.js';
import { BENCH_LIMITS, BenchService } from './support/service.js';

const MESSAGES = Number(process.argv[2] ?? 10_000);
const CUSTOMERS = Number(process.argv[3] ?? 50);
const DISRUPTIONS = Number(process.argv[4] ?? 10);
const PER_CUSTOMER = Math.ceil(MESSAGES / CUSTOMERS);
const until = <T>(source: import('rxjs').Observable<T>, test: (value: T) => boolean) => firstValueFrom(source.pipe(filter(test)));

const service = new BenchService({
  offices: [{ id: 'o', name: 'Office' }],
  buttons: [{ id: 'b', name: 'Button', office: 'o' }],
  agents: [{ id: 'a0', name: 'Agent', offices: ['o'], capacity: 50 }, { id: 'a1', name: 'Agent 2', offices: ['o'], capacity: 50 }],
  maintenance: { drainWindowMs: 500, drainBatch: 100_000 },
  limits: BENCH_LIMITS,
  presence: { offerTimeoutSeconds: 600, disconnectGraceSeconds: 3600 },
  routing: { agentGraceSeconds: 3600 },
});
await service.start();
const agents = ['a0', 'a1'].map((id) => new SdkAgent(service.url, id));
await Promise.all(agents.map((agent) => agent.connect()));
const customers: ChatClient[] = Array.from({ length: CUSTOMERS }, () =>
  createChatClient({ endpoint: service.url, button: 'b', WebSocket: WebSocket as unknown as WebSocketConstructor, availabilityGraceMs: 3_600_000 }),
);
await Promise.all(customers.map((chat) => until(chat.connection$, (state) => state.status === 'open')));
const sessions = await Promise.all(customers.map((chat) => chat.start({ name: 'chaos' })));
await Promise.all(customers.map((chat) => until(chat.session$, (session) => session.state === 'active')));
const agentOf = (sessionId: string) => agents.find((agent) => agent.sessions.has(sessionId))!;
while (!sessions.every((sessionId) => agentOf(sessionId))) await new Promise((resolve) => setImmediate(resolve));
// Replies of the agents' own: as many per session as the customer writes, written through the disruptions.
const OWN_REPLIES = PER_CUSTOMER;

// Writers: every customer writes its messages one after another (each safely in the outbox first).
const writing = customers.map(async (chat, index) => {
  for (let message = 0; message < PER_CUSTOMER; message++) {
    await chat.send(`c${index}-${message}`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  }
});

const replying = sessions.map(async (sessionId) => {
  for (let reply = 0; reply < OWN_REPLIES; reply++) {
    await agentOf(sessionId).reply(sessionId, `a${reply}`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  }
});

// Chaos: drains and kills at random moments while the messages flow.
const disruptions: string[] = [];
const chaos = (async () => {
  for (let round = 0; round < DISRUPTIONS; round++) {
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
    const signal = Math.random() < 0.5 ? 'SIGTERM' : 'SIGKILL';
    disruptions.push(signal);
    await service.stop(signal);
    await service.start();
  }
})();
await Promise.all([...writing, ...replying, chaos]);

// Everything written is sent once, and every reply arrived (or failed in the agent SDK: then it never will).
// A poll, not an event: a failure can come after the customer's last change. Gives up after two minutes.
const failuresOf = (sessionId: string) => agents.flatMap((agent) => agent.failures).filter((failure) => failure.sessionId === sessionId).length;
const settled = async (chat: ChatClient, index: number) => {
  const messages = await firstValueFrom(chat.messages$);
  return (
    messages.filter((message) => message.from === 'customer' && message.status === 'sent').length >= PER_CUSTOMER &&
    messages.filter((message) => message.from === 'agent').length >= PER_CUSTOMER + OWN_REPLIES - failuresOf(sessions[index]!)
  );
};
const giveUpAt = performance.now() + 120_000;
while (performance.now() < giveUpAt && !(await Promise.all(customers.map(settled))).every(Boolean)) await new Promise((resolve) => setTimeout(resolve, 200));

let lost = 0;
let duplicated = 0;
let outOfOrder = 0;
const agentSide = { lost: 0, duplicated: 0, outOfOrder: 0 };
let mismatched = 0;
const database = new Database(JSON.parse((await import('node:fs')).readFileSync(service.configFile, 'utf8')).databasePath, { readonly: true });
const stored = database.prepare<[string], { seq: number; body: string }>("SELECT seq, body FROM events WHERE session_id = ? AND body LIKE '{\"kind\":\"message\"%' ORDER BY seq");
for (const [index, chat] of customers.entries()) {
  const messages = await firstValueFrom(chat.messages$);
  const mine = messages.filter((message) => message.from === 'customer').map((message) => message.text);
  const expected = Array.from({ length: PER_CUSTOMER }, (_, message) => `c${index}-${message}`);
  for (const text of expected) {
    const count = mine.filter((candidate) => candidate === text).length;
    if (count === 0) lost++;
    if (count > 1) duplicated += count - 1;
  }
  const replies = messages.filter((message) => message.from === 'agent').map((message) => message.text);
  for (const text of expected) {
    const count = replies.filter((candidate) => candidate === `re: ${text}`).length;
    if (count === 0) lost++;
    if (count > 1) duplicated += count - 1;
  }
  // The agents' own replies, written during the disruptions: each once, in the order written.
  const own = replies.filter((text) => /^a\d+$/.test(text)).map((text) => Number(text.slice(1)));
  for (let reply = 0; reply < OWN_REPLIES; reply++) {
    const count = own.filter((candidate) => candidate === reply).length;
    if (count === 0) agentSide.lost++;
    if (count > 1) agentSide.duplicated += count - 1;
  }
  agentSide.outOfOrder += own.filter((value, position) => position > 0 && value < own[position - 1]!).length;
  // Order: the customer's messages in the transcript in the order they were written.
  const order = mine.map((text) => Number(text.split('-')[1]));
  outOfOrder += order.filter((value, position) => position > 0 && value < order[position - 1]!).length;
  const rows = stored.all(sessions[index]!).map((row) => `${row.seq}:${(JSON.parse(row.body) as { text: string }).text}`);
  const seen = messages.filter((message) => message.status === 'sent').map((message) => `${message.seq}:${message.text}`);
  if (rows.join('\n') !== seen.join('\n')) mismatched++;
}
database.close();
for (const chat of customers) chat.close();
for (const agent of agents) agent.close();
await service.stop('SIGTERM');

const failures = agents.flatMap((agent) => agent.failures);
const command = `node --conditions=source --import tsx bench/chaos.ts ${MESSAGES} ${CUSTOMERS} ${DISRUPTIONS}`;
const kills = disruptions.filter((signal) => signal === 'SIGKILL').length;
const rows = [
  [`chaos: ${CUSTOMERS * PER_CUSTOMER} customer messages + as many answers through ${DISRUPTIONS} disruptions (${kills} SIGKILL, ${DISRUPTIONS - kills} drains)`, `lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}`, '0, 0, 0'],
  [`chaos: ${sessions.length * OWN_REPLIES} agent replies (agent SDK) written during the disruptions`, `lost ${agentSide.lost}, duplicated ${agentSide.duplicated}, out of order ${agentSide.outOfOrder}`, '0, 0, 0'],
  ['chaos: replies the agent SDK refused or could not send', `${failures.length}${failures.slice(0, 3).map((failure) => ` (${failure.text}: ${failure.code})`).join('')}`, '0'],
  ['chaos: transcripts in the database that differ from what the customer saw', `${mismatched} of ${CUSTOMERS}`, '0'],
];
for (const [what, figure, target] of rows) console.log(`| ${what} | ${figure} | ${target} | \`${command}\` |`);
process.exit(0);
