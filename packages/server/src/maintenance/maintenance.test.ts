import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { once } from 'node:events';
import type { PresenceView } from '@parley/protocol';
import { openSqliteStore } from '../store/sqlite-store.js';
import { openChat } from '../test-support/chat-setup.js';
import { withReadOnlySwitch } from '../test-support/failing-store.js';
import { metricValue, scrape } from '../test-support/prometheus.js';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { ADMIN_TOKEN, startTestService, testAgentToken, type TestService } from '../test-support/test-server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('maintenance and availability', () => {
  let service: TestService;
  afterEach(() => service.close());

  it('M1, M2: a planned window is announced ahead, agents go Offline at its start, buttons are offline with the window, requests are refused, and it ends', async () => {
    service = await startTestService({ presence: { idleMinutes: 24 * 60 } });
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const customer = await service.customer('browser-1');
    const startsAt = service.clock.now() + 2 * HOUR;
    const scheduled = await service.admin('POST', '/admin/maintenance-windows', { startsAt, endsAt: startsAt + HOUR, message: 'Upgrade' });
    assert.equal(scheduled.status, 201);
    assert.equal((await ana.next((frame) => frame.type === 'notice')).kind, 'maintenance-planned');
    assert.equal(customer.frames.some((frame) => frame.type === 'notice'), false);

    await service.advance(HOUR);
    const notice = await customer.next((frame) => frame.type === 'notice');
    assert.equal((notice.window as { message: string }).message, 'Upgrade');
    const ahead = await customer.next((frame) => frame.type === 'availability' && frame.window !== undefined);
    assert.equal(ahead.online, true);

    await service.advance(HOUR);
    const offline = await ana.next((frame) => frame.type === 'presence' && (frame.presence as { reason: { cause: string } }).reason.cause === 'maintenance');
    assert.equal((offline.presence as { status: string }).status, 'offline');
    const during = await customer.next((frame) => frame.type === 'availability' && frame.reason === 'maintenance');
    assert.deepEqual([during.online, (during.window as { endsAt: number }).endsAt], [false, startsAt + HOUR]);
    const refused = await customer.request({ type: 'start' });
    assert.equal(refused.code, 'maintenance');
    assert.match(refused.message as string, /planned maintenance until/);

    await service.advance(HOUR);
    await ana.request({ type: 'presence', status: 'available' });
    assert.equal((await customer.next((frame) => frame.type === 'availability' && frame.online === true)).reason, 'agents');
    assert.deepEqual((await service.admin('GET', '/admin/maintenance-windows')).body.windows, []);
  });

  it('M1, M2: agents hear of a window when it is scheduled; at its end those it set Offline are back as they were (reason maintenance, system), the button is online again; one who chose a status meanwhile keeps it', async () => {
    service = await startTestService({ presence: { idleMinutes: 24 * 60 } });
    const ana = await service.agent('ana');
    const ben = await service.agent('ben');
    await ana.request({ type: 'presence', status: 'available' });
    await ana.request({ type: 'presence', status: 'away', office: 'south' });
    await ben.request({ type: 'presence', status: 'available' });
    const startsAt = service.clock.now() + HOUR;
    await service.admin('POST', '/admin/maintenance-windows', { startsAt, endsAt: startsAt + HOUR, message: 'Upgrade' });
    assert.equal((await ben.next((frame) => frame.type === 'notice')).kind, 'maintenance-planned');
    await service.advance(HOUR);
    assert.deepEqual(['ana', 'ben'].map((id) => service.server.service.presence.view(id).status), ['offline', 'offline']);
    // Ben comes online by hand during the window (to read his chats, say): his choice stands.
    await ben.request({ type: 'presence', status: 'away' });
    await service.advance(HOUR);
    assert.equal((await ana.next((frame) => frame.type === 'notice' && frame.kind === 'maintenance-ended')).kind, 'maintenance-ended');
    const anaNow = service.server.service.presence.view('ana');
    assert.deepEqual([anaNow.status, anaNow.offices, anaNow.reason.source, anaNow.reason.cause], ['available', { north: 'available', south: 'away' }, 'system', 'maintenance']);
    assert.equal(service.server.service.presence.view('ben').status, 'away');
    assert.equal(service.server.service.maintenance.availability('sales').online, true);
  });

  it('M2: a window cancelled while under way gives agents back too; one whose socket is gone gets the disconnect grace, then Offline', async () => {
    service = await startTestService({ presence: { idleMinutes: 24 * 60 } });
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const startsAt = service.clock.now() + MINUTE;
    const scheduled = await service.admin('POST', '/admin/maintenance-windows', { startsAt, endsAt: startsAt + HOUR, message: '' });
    await service.advance(MINUTE);
    assert.equal(service.server.service.presence.view('ana').status, 'offline');
    await ana.close();
    await service.agentGone('ana');
    await service.admin('DELETE', `/admin/maintenance-windows/${scheduled.body.id as string}`);
    assert.equal(service.server.service.presence.view('ana').status, 'available');
    await service.advance(2 * MINUTE);
    assert.deepEqual([service.server.service.presence.view('ana').status, service.server.service.presence.view('ana').reason.cause], ['offline', 'disconnect']);
  });

  it('M2: agents go Offline the configured lead before the window', async () => {
    service = await startTestService({ maintenance: { agentOfflineLeadMinutes: 15 } });
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    await service.admin('POST', '/admin/maintenance-windows', { startsAt: service.clock.now() + HOUR, endsAt: service.clock.now() + 2 * HOUR, message: '' });
    await service.advance(45 * MINUTE - 1);
    assert.equal(service.server.service.presence.view('ana').status, 'available');
    await service.advance(1);
    assert.equal(service.server.service.presence.view('ana').status, 'offline');
  });

  it('M6: the read-only switch puts buttons offline with reason read-only and refuses new chats clearly; open chats keep working', async () => {
    service = await startTestService();
    const { customer } = await openChat(service);
    const newcomer = await service.customer('browser-2');
    assert.equal((await service.admin('PUT', '/admin/read-only', { on: true })).status, 200);
    assert.equal((await newcomer.next((frame) => frame.type === 'availability' && frame.reason === 'read-only')).online, false);
    const refused = await newcomer.request({ type: 'start' });
    assert.deepEqual([refused.code, refused.message], ['read_only', 'Chat is temporarily unavailable. Please try again in a few minutes.']);
    assert.equal((await customer.request({ type: 'message', cmid: 'c1', text: 'still here' })).type, 'ack');
    const http = await fetch(`${service.server.url}/v1/availability?button=sales`);
    assert.equal(((await http.json()) as { reason: string }).reason, 'read-only');
    await service.admin('PUT', '/admin/read-only', { on: false });
    assert.equal((await newcomer.next((frame) => frame.type === 'availability' && frame.online === true)).reason, 'agents');
  });

  it('M6: a store that refuses writes is detected: the write gets read_only and buttons go offline', async () => {
    let readOnly = false;
    service = await startTestService({}, { store: withReadOnlySwitch(openSqliteStore(':memory:'), () => readOnly) });
    const { customer } = await openChat(service);
    readOnly = true;
    const failed = await customer.request({ type: 'message', cmid: 'c1', text: 'hello' });
    assert.equal(failed.code, 'read_only');
    assert.equal(service.server.service.maintenance.availability('sales').reason, 'read-only');
    readOnly = false;
    await service.admin('PUT', '/admin/read-only', { on: false });
    const retried = await customer.request({ type: 'message', cmid: 'c1', text: 'hello' });
    assert.equal(retried.type, 'ack');
  });

  it('M6: a store that refused writes is tried again; once it takes them the node is writable by itself: buttons back, the kept message and new chats go through', { timeout: 30_000 }, async () => {
    let readOnly = false;
    service = await startTestService({}, { store: withReadOnlySwitch(openSqliteStore(':memory:'), () => readOnly) });
    const { customer } = await openChat(service);
    const newcomer = await service.customer('browser-2');
    assert.equal((await newcomer.next((frame) => frame.type === 'availability')).online, true);
    readOnly = true;
    assert.equal((await customer.request({ type: 'message', cmid: 'c1', text: 'hello' })).code, 'read_only');
    assert.equal((await newcomer.next((frame) => frame.type === 'availability' && frame.reason === 'read-only')).online, false);
    readOnly = false;
    // No admin: the node's probe write succeeds and it tells the button's customers.
    assert.equal((await newcomer.next((frame) => frame.type === 'availability' && frame.online === true)).reason, 'agents');
    assert.equal((await customer.request({ type: 'message', cmid: 'c1', text: 'hello' })).type, 'ack');
    const started = await newcomer.request({ type: 'start' });
    assert.equal(started.type, 'result', JSON.stringify(started));
  });

  it('M3: a drain tells every client to reconnect within the window, closes with 1012, and takes no one new', async () => {
    service = await startTestService();
    const { agent, customer } = await openChat(service);
    const drained = service.server.drain();
    // While draining, the load balancer's health check says so.
    const health = await fetch(`${service.server.url}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { ok: false, starting: false, draining: true, store: 'ok' });
    for (const client of [agent, customer]) {
      const signal = await client.next((frame) => frame.type === 'reconnect');
      assert.deepEqual([signal.reason, signal.windowMs], ['maintenance', 1000]);
      assert.equal((await client.closed).code, 1012);
    }
    await drained;
    await assert.rejects(service.customer('browser-late'), /503/);
    assert.equal(metricValue(await scrape(`${service.server.url}/metrics`, ADMIN_TOKEN), 'parley_drains_total'), 1);
  });

  it('M4: when the agent is not back within the grace, the chat goes to another agent, who sees the transcript, and the customer is told', async () => {
    service = await startTestService();
    const { agent: ana, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c1', text: 'My order is late' });
    const ben = await service.agent('ben');
    await ben.request({ type: 'presence', status: 'available' });
    ana.socket.terminate();
    await service.agentGone('ana');
    await service.advance(60 * SECOND);
    const offer = await ben.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await ben.request({ type: 'accept', offerId: offer.offerId });
    const changed = await customer.next((frame) => frame.type === 'event' && frame.event.kind === 'agent-changed');
    assert.deepEqual((changed.event as { agent: { name: string } }).agent.name, 'Ben');
    const transcript = ben.events(sessionId).filter((frame) => frame.event.kind === 'message');
    assert.equal((transcript[0]?.event as { text: string }).text, 'My order is late');
  });
});

describe('maintenance of the real service process', () => {
  const running: ServiceProcess[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    for (const service of running.splice(0)) if (service.child.exitCode === null && service.child.signalCode === null) await service.kill('SIGKILL');
  });
  const connect = async (service: ServiceProcess, hello: Record<string, unknown>) => {
    const client = await TestClient.connect(service.wsUrl, hello);
    clients.push(client);
    return client;
  };
  const availability = async (service: ServiceProcess) => (await (await fetch(`${service.url}/v1/availability?button=sales`)).json()) as { online: boolean; reason: string };
  const presenceRows = async (service: ServiceProcess) => {
    const response = await fetch(`${service.url}/admin/presence-report`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return ((await response.json()) as { rows: Array<{ agentId: string; status: string; cause: string }> }).rows.filter((row) => row.agentId === 'ana').map((row) => `${row.status}:${row.cause}`);
  };

  it('M5, M7: a drain (SIGTERM) and restart on the same database: the button stays online, presence and assigned work stay as they were, without a flap', async () => {
    const file = await ServiceProcess.configFile();
    const first = await ServiceProcess.start(file);
    running.push(first);
    const agentHello = { role: 'agent', browserId: 'browser-ana', token: await testAgentToken('ana') };
    const ana = await connect(first, agentHello);
    await ana.request({ type: 'presence', status: 'available' });
    const customer = await connect(first, { role: 'customer', browserId: 'browser-1', button: 'sales' });
    const { sessionId, resumeToken } = (await customer.request({ type: 'start' })).data as { sessionId: string; resumeToken: string };
    await ana.request({ type: 'accept', offerId: (await ana.next((frame) => frame.type === 'offer')).offerId });
    const before = (await ana.next((frame) => frame.type === 'presence' && (frame.presence as PresenceView).capacity.used === 1)).presence as PresenceView;
    assert.deepEqual([before.status, (await availability(first)).online], ['available', true]);

    const lastSeqBefore = Math.max(...customer.events(sessionId).map((frame) => frame.seq));
    // The drain: every client told to reconnect, closed with 1012, the process exits 0.
    const exited = once(first.child, 'exit');
    first.child.kill('SIGTERM');
    for (const client of [ana, customer]) {
      assert.equal((await client.next((frame) => frame.type === 'reconnect')).reason, 'maintenance');
      assert.equal((await client.closed).code, 1012);
    }
    assert.deepEqual(await exited, [0, null]);

    const second = await ServiceProcess.start(file);
    running.push(second);
    // M5: before anyone is back, the new process answers from the stored presence: online.
    assert.deepEqual(await availability(second), { button: 'sales', online: true, reason: 'agents' });
    const customerAgain = await connect(second, { role: 'customer', browserId: 'browser-1', button: 'sales', resumeToken, lastSeq: 0 });
    assert.equal((await customerAgain.next((frame) => frame.type === 'availability')).online, true);
    // M7: within the grace, the agent comes back to the same presence (same version) and the same work.
    await second.advance(30_000);
    const anaAgain = await connect(second, agentHello);
    const restored = (await anaAgain.next((frame) => frame.type === 'presence')).presence as PresenceView;
    assert.deepEqual([restored.status, restored.version, restored.capacity], ['available', before.version, { used: 1, total: 2 }]);
    const work = await anaAgain.next((frame) => frame.type === 'work');
    assert.deepEqual((work.items as Array<{ sessionId: string; phase: string }>).map((item) => `${item.sessionId}:${item.phase}`), [`${sessionId}:open`]);
    // Past the disconnect grace and the re-routing grace: nothing moved.
    await second.advance(5 * MINUTE);
    assert.equal((await availability(second)).online, true);
    const reply = await anaAgain.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Still here.' });
    assert.equal(reply.type, 'ack');
    await customerAgain.next((frame) => frame.type === 'event' && frame.seq === reply.seq);
    assert.equal(customerAgain.frames.some((frame) => frame.type === 'availability' && frame.online === false), false);
    const afterDrain = customerAgain.events(sessionId).filter((frame) => frame.seq > lastSeqBefore);
    assert.deepEqual(afterDrain.map((frame) => frame.event.kind), ['message'], 'no state change and no other agent after the drain');
    // The presence history of the whole run: Available by hand, and never anything else since (no disconnect, no flap).
    assert.deepEqual((await presenceRows(second)).filter((row) => row !== 'offline:default'), ['available:manual']);
  });
});
