import { expect } from '@open-wc/testing';
import { createChatClient, createMemoryChatStore, ParleyError, type ChatClient, type ChatMessage } from '@parley/sdk';
import { createAgentClient, type AgentClient } from '@parley/sdk/agent';
import { agentToken, startService, until, type LiveService } from '../test-support/live-service.js';

/** A customer and Ana's agent client (the SDK's, which reports what reaches it), chatting. */
async function chatWithAgentClient(service: LiveService): Promise<{ chat: ChatClient; agent: AgentClient; sessionId: string }> {
  const agent = createAgentClient({ endpoint: service.url, token: await agentToken(service, 'ana'), store: createMemoryChatStore() });
  await until(agent.connection$, (state) => state.status === 'open');
  await agent.setStatus('available');
  const chat = createChatClient({ endpoint: service.url, button: 'sales', store: createMemoryChatStore() });
  await until(chat.availability$, (availability) => availability?.online === true);
  const sessionId = await chat.start({ name: 'Dana' });
  const [offer] = await until(agent.offers$, (offers) => offers.some((candidate) => candidate.sessionId === sessionId));
  await agent.accept(offer!.offerId);
  await until(chat.session$, (session) => session.state === 'active');
  return { chat, agent, sessionId };
}

/** Every status a message goes through, in order, recorded from now on. */
function statusesOf(messages$: ChatClient['messages$'], text: string): string[] {
  const statuses: string[] = [];
  messages$.subscribe((messages: ChatMessage[]) => {
    const status = messages.find((message) => message.text === text)?.status;
    if (status && statuses.at(-1) !== status) statuses.push(status);
  });
  return statuses;
}

describe('read receipts and ratings through the SDK, against the real service', () => {
  it("I4: the customer's message goes sent → delivered (the agent's client has it) → read (the agent read it)", async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatWithAgentClient(service);
    const statuses = statusesOf(chat.messages$, 'Where is my order?');
    await chat.send('Where is my order?');
    await until(chat.messages$, (messages) => messages.some((message) => message.text === 'Where is my order?' && message.status === 'delivered'));
    await until(agent.conversations$, (conversations) => conversations[sessionId]?.some((line) => line.text === 'Where is my order?') === true);
    agent.markRead(sessionId);
    await until(chat.messages$, (messages) => messages.some((message) => message.text === 'Where is my order?' && message.status === 'read'));
    expect(statuses.slice(statuses.indexOf('sent'))).to.deep.equal(['sent', 'delivered', 'read']);
    chat.close();
    agent.close();
  });

  it("I4: the customer's reads reach the agent the same way: the agent's reply goes delivered → read", async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatWithAgentClient(service);
    await agent.reply(sessionId, 'Hello Dana');
    const delivered = await until(agent.conversations$, (conversations) => conversations[sessionId]?.some((line) => line.text === 'Hello Dana' && line.status === 'delivered') === true);
    expect(delivered[sessionId]!.find((line) => line.text === 'Hello Dana')!.seq).to.be.a('number');
    chat.markRead();
    await until(agent.conversations$, (conversations) => conversations[sessionId]?.some((line) => line.text === 'Hello Dana' && line.status === 'read') === true);
    const receipts = await until(agent.receipts$, (marks) => (marks[sessionId]?.read ?? 0) > 0);
    expect(receipts[sessionId]!.delivered).to.equal(receipts[sessionId]!.read);
    chat.close();
    agent.close();
  });

  it('I3: a chat is rated once ended (refused before), and the agent sees the rating', async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatWithAgentClient(service);
    const early = await chat.rate(5).then(() => undefined, (error: unknown) => error);
    expect(early).to.be.instanceOf(ParleyError);
    expect((early as ParleyError).code).to.equal('session_open');
    await chat.end();
    await until(chat.session$, (session) => session.state === 'ended');
    await chat.rate(4, 'Quick and kind');
    const events = await until(chat.events$, (list) => list.some((event) => event.kind === 'rating'));
    expect(events.find((event) => event.kind === 'rating')).to.include({ kind: 'rating', score: 4, comment: 'Quick and kind' });
    await until(agent.conversations$, (conversations) => conversations[sessionId]?.some((line) => line.text === 'Rated 4/5: Quick and kind') === true);
    chat.close();
    agent.close();
  });
});
