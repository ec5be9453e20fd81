import assert from 'node:assert/strict';
import type { SequencedEvent } from '@parley/protocol';
import { ADMIN_TOKEN, testAgentToken } from './test-server.js';
import { TestClient } from './test-client.js';

export interface ClusterChat {
  sessionId: string;
  resumeToken: string;
  browserId: string;
}

/** An agent's hello (the nodes run on the real time's start: tokens from now are valid there). */
export async function agentHello(agentId: string, browserId = `browser-${agentId}`): Promise<Record<string, unknown>> {
  return { role: 'agent', browserId, token: await testAgentToken(agentId) };
}

/** The agent (Available) takes a chat the customer starts on `wsUrl`; both sockets stay open. */
export async function startChat(agent: TestClient, wsUrl: string, browserId: string, options: { whenOnline?: boolean } = {}): Promise<{ customer: TestClient; chat: ClusterChat }> {
  const customer = await TestClient.connect(wsUrl, { role: 'customer', browserId, button: 'sales' });
  // `whenOnline`, as the widget does: start once the button is online. A node other than the agent's
  // hears her presence over the bus a moment later; until then it rightly refuses the start (offline).
  if (options.whenOnline) await customer.next((frame) => frame.type === 'availability' && frame.online === true);
  const started = await customer.request({ type: 'start' });
  assert.equal(started.type, 'result', JSON.stringify(started));
  const { sessionId, resumeToken } = started.data as { sessionId: string; resumeToken: string };
  const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
  assert.equal((await agent.request({ type: 'accept', offerId: offer.offerId })).type, 'result');
  await customer.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'state' && frame.event.state === 'active');
  return { customer, chat: { sessionId, resumeToken, browserId } };
}

/** The customer's client again, on another socket (any node): it resumes the chat after what it saw. */
export async function resumeCustomer(wsUrl: string, chat: ClusterChat, lastSeq: number): Promise<TestClient> {
  const customer = await TestClient.connect(wsUrl, { role: 'customer', browserId: chat.browserId, button: 'sales', resumeToken: chat.resumeToken, lastSeq });
  const welcome = customer.frames.find((frame) => frame.type === 'welcome');
  assert.equal(welcome?.sessionId, chat.sessionId, JSON.stringify(customer.frames));
  return customer;
}

/** `seq:text` of the messages of a session a client received, in the order received. */
export function messagesSeen(clients: readonly TestClient[], sessionId: string): string[] {
  return clients.flatMap((client) => client.events(sessionId)).filter((frame) => frame.event.kind === 'message').map((frame) => `${frame.seq}:${(frame.event as { text: string }).text}`);
}

/** Every seq a client received for the session, in the order received. */
export function seqsSeen(clients: readonly TestClient[], sessionId: string): number[] {
  return clients.flatMap((client) => client.events(sessionId)).map((frame) => frame.seq);
}

/** `seq:text` of the messages stored for the session, read through `baseUrl` (any node). */
export async function storedMessages(baseUrl: string, chat: ClusterChat): Promise<string[]> {
  const response = await fetch(`${baseUrl}/v1/transcript`, { headers: { authorization: `Bearer ${chat.resumeToken}` } });
  assert.equal(response.status, 200);
  const { events } = (await response.json()) as { events: SequencedEvent[] };
  return events.filter((event) => event.event.kind === 'message').map((event) => `${event.seq}:${(event.event as { text: string }).text}`);
}

/** Waits until the client has received the session's event with this seq (or a later one). */
export async function seen(client: TestClient, sessionId: string, seq: number): Promise<void> {
  if (client.events(sessionId).some((frame) => frame.seq >= seq)) return;
  await client.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && (frame.seq as number) >= seq);
}

export async function admin(baseUrl: string, method: string, path: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
}
