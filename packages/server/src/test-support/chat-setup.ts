import type { TestClient } from './test-client.js';
import type { TestService } from './test-server.js';

export interface OpenChat {
  agent: TestClient;
  customer: TestClient;
  sessionId: string;
  resumeToken: string;
}

/** An agent Available, a customer who started a chat, and the agent having accepted it. */
export async function openChat(service: TestService, options: { agentId?: string; browserId?: string; button?: string } = {}): Promise<OpenChat> {
  const agent = await service.agent(options.agentId ?? 'ana');
  await agent.request({ type: 'presence', status: 'available' });
  const customer = await service.customer(options.browserId ?? 'browser-1', { button: options.button ?? 'sales' });
  const started = await customer.request({ type: 'start', prechat: { name: 'Dana' } });
  const { sessionId, resumeToken } = started.data as { sessionId: string; resumeToken: string };
  const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
  await agent.request({ type: 'accept', offerId: offer.offerId });
  await customer.next((frame) => frame.type === 'event' && frame.event.kind === 'agent-joined');
  return { agent, customer, sessionId, resumeToken };
}

/** Resolves when the client gets the session's state event for `state` (and `reason`, when given), with its reason. */
export async function reachedState(client: TestClient, sessionId: string, state: string, reason?: string): Promise<string> {
  const frame = await client.next(
    (candidate) =>
      candidate.type === 'event' &&
      candidate.sessionId === sessionId &&
      candidate.event.kind === 'state' &&
      candidate.event.state === state &&
      (reason === undefined || candidate.event.reason === reason),
  );
  return (frame.event as { reason: string }).reason;
}
