import { filter, firstValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { createChatClient, type ChatClient, type ChatMessage, type WebSocketConstructor } from '../../packages/sdk/src/index.js';
import { SdkAgent } from './sdk-agents.js';

const until = <T>(source: import('rxjs').Observable<T>, test: (value: T) => boolean) => firstValueFrom(source.pipe(filter(test)));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The agents a chaos run's service must be configured with (office `o`, button `b`). */
/** Stored by the service: sent, and then perhaps delivered and read (I4 ticks on the customer's own messages). */
const stored = (message: ChatMessage) => message.status === 'sent' || message.status === 'delivered' || message.status === 'read';

export const CHAOS_AGENTS = [
  { id: 'a0', name: 'Agent', offices: ['o'], capacity: 50 },
  { id: 'a1', name: 'Agent 2', offices: ['o'], capacity: 50 },
];

export interface ChaosRun {
  /** The service's base URL as clients reach it (one node, or the balancer). */
  endpoint: string;
  messages: number;
  customers: number;
  /** The disruptions, one after another while the messages flow; each says what it did. */
  disruptions: ReadonlyArray<() => Promise<string>>;
  /** `seq:text` of the messages stored for a session, in seq order: the truth the clients are held to. */
  stored(sessionId: string): Promise<string[]>;
}

/**
 * Customers (the SDK) and agents (the agent SDK), both in Node with ws, exchange messages while the
 * service is disrupted. Agents answer every message and write as many replies of their own. Returns
 * the table rows: lost, duplicated and out-of-order each way, refused replies, and the transcripts
 * that differ from what the customers saw.
 */
export async function runChaos(run: ChaosRun): Promise<Array<[string, string, string]>> {
  const perCustomer = Math.ceil(run.messages / run.customers);
  const agents = CHAOS_AGENTS.map(({ id }) => new SdkAgent(run.endpoint, id));
  await Promise.all(agents.map((agent) => agent.connect()));
  const customers: ChatClient[] = Array.from({ length: run.customers }, () =>
    createChatClient({ endpoint: run.endpoint, button: 'b', WebSocket: WebSocket as unknown as WebSocketConstructor, availabilityGraceMs: 3_600_000 }),
  );
  await Promise.all(customers.map((chat) => until(chat.connection$, (state) => state.status === 'open')));
  const sessions = await Promise.all(customers.map((chat) => chat.start({ name: 'chaos' })));
  await Promise.all(customers.map((chat) => until(chat.session$, (session) => session.state === 'active')));
  const agentOf = (sessionId: string) => agents.find((agent) => agent.sessions.has(sessionId))!;
  while (!sessions.every((sessionId) => agentOf(sessionId))) await new Promise((resolve) => setImmediate(resolve));

  // Every customer writes its messages one after another (each safely in the outbox first); each
  // agent writes as many replies of its own per chat, through the disruptions.
  const writing = customers.map(async (chat, index) => {
    for (let message = 0; message < perCustomer; message++) {
      await chat.send(`c${index}-${message}`);
      await pause(Math.random() * 20);
    }
  });
  const replying = sessions.map(async (sessionId) => {
    for (let reply = 0; reply < perCustomer; reply++) {
      await agentOf(sessionId).reply(sessionId, `a${reply}`);
      await pause(Math.random() * 20);
    }
  });
  const done: string[] = [];
  const chaos = (async () => {
    for (const disrupt of run.disruptions) {
      await pause(300 + Math.random() * 700);
      done.push(await disrupt());
    }
  })();
  await Promise.all([...writing, ...replying, chaos]);

  // Everything written is sent once, and every reply arrived (or failed in the agent SDK: then it never
  // will). A poll, not an event: a failure can come after the customer's last change. Two minutes at most.
  const failuresOf = (sessionId: string) => agents.flatMap((agent) => agent.failures).filter((failure) => failure.sessionId === sessionId).length;
  const settled = async (chat: ChatClient, index: number) => {
    const messages = await firstValueFrom(chat.messages$);
    return (
      messages.filter((message) => message.from === 'customer' && stored(message)).length >= perCustomer &&
      messages.filter((message) => message.from === 'agent').length >= 2 * perCustomer - failuresOf(sessions[index]!)
    );
  };
  const giveUpAt = performance.now() + 120_000;
  while (performance.now() < giveUpAt && !(await Promise.all(customers.map(settled))).every(Boolean)) await pause(200);

  const customerSide = { lost: 0, duplicated: 0, outOfOrder: 0 };
  const agentSide = { lost: 0, duplicated: 0, outOfOrder: 0 };
  let mismatched = 0;
  const count = (texts: readonly string[], expected: readonly string[], into: { lost: number; duplicated: number }) => {
    for (const text of expected) {
      const copies = texts.filter((candidate) => candidate === text).length;
      if (copies === 0) into.lost++;
      if (copies > 1) into.duplicated += copies - 1;
    }
  };
  const descents = (values: readonly number[]) => values.filter((value, position) => position > 0 && value < values[position - 1]!).length;
  for (const [index, chat] of customers.entries()) {
    const messages = await firstValueFrom(chat.messages$);
    const mine = messages.filter((message) => message.from === 'customer').map((message) => message.text);
    const replies = messages.filter((message) => message.from === 'agent').map((message) => message.text);
    const expected = Array.from({ length: perCustomer }, (_, message) => `c${index}-${message}`);
    count(mine, expected, customerSide);
    count(replies, expected.map((text) => `re: ${text}`), customerSide);
    if (process.env.BENCH_DEBUG && index < 3) {
      const missing = expected.filter((text) => !replies.includes(`re: ${text}`));
      if (missing.length > 0) console.error('missing answers', index, sessions[index], missing.length, missing.slice(0, 5), JSON.stringify(messages.slice(-6).map((message) => [message.seq, message.status, message.text])));
    }
    customerSide.outOfOrder += descents(mine.map((text) => Number(text.split('-')[1])));
    // The agents' own replies, written during the disruptions: each once, in the order written.
    const own = replies.filter((text) => /^a\d+$/.test(text));
    count(own, Array.from({ length: perCustomer }, (_, reply) => `a${reply}`), agentSide);
    agentSide.outOfOrder += descents(own.map((text) => Number(text.slice(1))));
    const seen = messages.filter(stored).map((message) => `${message.seq}:${message.text}`);
    if ((await run.stored(sessions[index]!)).join('\n') !== seen.join('\n')) mismatched++;
  }
  for (const chat of customers) chat.close();
  for (const agent of agents) agent.close();

  const failures = agents.flatMap((agent) => agent.failures);
  return [
    [`chaos: ${run.customers * perCustomer} customer messages + as many answers through ${done.length} disruptions (${summary(done)})`, `lost ${customerSide.lost}, duplicated ${customerSide.duplicated}, out of order ${customerSide.outOfOrder}`, '0, 0, 0'],
    [`chaos: ${sessions.length * perCustomer} agent replies (agent SDK) written during the disruptions`, `lost ${agentSide.lost}, duplicated ${agentSide.duplicated}, out of order ${agentSide.outOfOrder}`, '0, 0, 0'],
    ['chaos: replies the agent SDK refused or could not send', `${failures.length}${failures.slice(0, 3).map((failure) => ` (${failure.text}: ${failure.code})`).join('')}`, '0'],
    ['chaos: accepts answered offer_gone (the offer was gone when the accept arrived)', String(agents.reduce((sum, agent) => sum + agent.refusedAccepts.length, 0)), '—'],
    ['chaos: transcripts in the database that differ from what the customer saw', `${mismatched} of ${run.customers}`, '0'],
  ];
}

/** "5 SIGKILL, 5 drains" from what each disruption said. */
function summary(done: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const what of done) counts.set(what, (counts.get(what) ?? 0) + 1);
  return [...counts].map(([what, times]) => `${times} ${what}`).join(', ');
}
