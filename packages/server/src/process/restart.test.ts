import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import type { SequencedEvent } from '@parley/protocol';
import { signToken } from '../auth/tokens.js';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { SECRET } from '../test-support/test-server.js';

const MINUTE = 60_000;

const configFile = () => ServiceProcess.configFile();

// The processes run in test mode on a fake clock that starts at the real time.
const agentHello = { role: 'agent', browserId: 'browser-ana', token: await signToken({ kind: 'agent', sub: 'ana' }, SECRET, { now: Date.now(), ttlMs: 30 * 24 * 3600_000 }) };
const messages = (client: TestClient, sessionId: string) =>
  client.events(sessionId).filter((frame) => frame.event.kind === 'message').map((frame) => `${frame.seq}:${(frame.event as { text: string }).text}`);

describe('the real service process', () => {
  const running: ServiceProcess[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    for (const service of running.splice(0)) if (service.child.exitCode === null && service.child.signalCode === null) await service.kill('SIGKILL');
  });

  it('S10, M3: killed (SIGKILL) mid-chat and restarted on the same database, it resumes every message exactly once and fires the stored deadlines on time', async () => {
    const file = await configFile();
    const first = await ServiceProcess.start(file);
    running.push(first);
    const agent = await TestClient.connect(first.wsUrl, agentHello);
    await agent.request({ type: 'presence', status: 'available' });
    const customer = await TestClient.connect(first.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales' });
    clients.push(agent, customer);
    const { sessionId, resumeToken } = (await customer.request({ type: 'start' })).data as { sessionId: string; resumeToken: string };
    const offer = await agent.next((frame) => frame.type === 'offer');
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await customer.request({ type: 'message', cmid: 'c1', text: 'Is my order late?' });
    // S2: the inactivity countdown starts here and is stored.
    await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Let me check.' });
    // In flight when the process dies: stored or not, the agent's client will send it again.
    agent.send({ type: 'reply', sessionId, cmid: 'a2', text: 'It ships tomorrow.' });
    await first.kill('SIGKILL');
    const seenBefore = customer.events(sessionId);
    const lastSeq = Math.max(...seenBefore.map((frame) => frame.seq));

    const second = await ServiceProcess.start(file);
    running.push(second);
    const agentAgain = await TestClient.connect(second.wsUrl, agentHello);
    clients.push(agentAgain);
    const resent = await agentAgain.request({ type: 'reply', sessionId, cmid: 'a2', text: 'It ships tomorrow.' });
    assert.equal(resent.type, 'ack');
    const customerAgain = await TestClient.connect(second.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales', resumeToken, lastSeq });
    clients.push(customerAgain);
    const welcome = customerAgain.frames.find((frame) => frame.type === 'welcome')!;
    assert.deepEqual([welcome.sessionId, welcome.replay, welcome.state], [sessionId, 'events', 'active']);
    // The reply may have reached the customer before the kill; if not, the replay brings it.
    if ((resent.seq as number) > lastSeq) await customerAgain.next((frame) => frame.type === 'event' && frame.seq === resent.seq);

    const seen = [...messages(customer, sessionId), ...messages(customerAgain, sessionId)];
    assert.deepEqual(seen.map((line) => line.slice(line.indexOf(':') + 1)), ['Is my order late?', 'Let me check.', 'It ships tomorrow.']);
    const transcript = (await (await fetch(`${second.url}/v1/transcript`, { headers: { authorization: `Bearer ${resumeToken}` } })).json()) as { events: SequencedEvent[] };
    const stored = transcript.events.filter((event) => event.event.kind === 'message').map((event) => `${event.seq}:${(event.event as { text: string }).text}`);
    assert.deepEqual(stored, seen);

    // S10: the countdown stored by the killed process fires at its deadline in the new one.
    await second.advance(4 * MINUTE);
    assert.equal(customerAgain.events(sessionId).some((frame) => frame.event.kind === 'state' && frame.event.state === 'inactive'), false);
    await second.advance(1 * MINUTE);
    await customerAgain.next((frame) => frame.type === 'event' && frame.event.kind === 'state' && frame.event.state === 'inactive');
  });

  it('M3: SIGTERM drains: every client is told to reconnect and closed with 1012, then the process exits 0', async () => {
    const service = await ServiceProcess.start(await configFile());
    running.push(service);
    const customer = await TestClient.connect(service.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales' });
    const agent = await TestClient.connect(service.wsUrl, agentHello);
    clients.push(customer, agent);
    const exited = once(service.child, 'exit');
    service.child.kill('SIGTERM');
    for (const client of [customer, agent]) {
      assert.equal((await client.next((frame) => frame.type === 'reconnect')).reason, 'maintenance');
      assert.equal((await client.closed).code, 1012);
    }
    assert.deepEqual(await exited, [0, null]);
  });
});
