import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLOSE } from '@parley/protocol';
import { DEMO_CONFIG } from '../config/demo-config.js';
import { parseConfig } from '../config/load-config.js';
import { silentLogger } from '../service/logger.js';
import { startServer } from '../server.js';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { ADMIN_TOKEN, SECRET, TEST_CONFIG, testAgentToken } from '../test-support/test-server.js';

/** Who may see and do what, probed over real sockets against the real service process. */
describe('isolation', () => {
  let service: ServiceProcess;
  const clients: TestClient[] = [];
  const track = (client: TestClient) => (clients.push(client), client);
  const agent = async (agentId: string, browserId = `browser-${agentId}`, token?: string) =>
    TestClient.connect(service.wsUrl, { role: 'agent', browserId, token: token ?? (await testAgentToken(agentId)) }).then(track);
  const customer = (browserId: string, hello: Record<string, unknown> = {}) =>
    TestClient.connect(service.wsUrl, { role: 'customer', browserId, button: 'sales', ...hello }).then(track);
  /** A round trip on the socket: it is still open and served. */
  const stillServed = async (client: TestClient) => {
    assert.equal(client.socket.readyState, client.socket.OPEN);
    const answer = await client.request({ type: 'end-session', sessionId: 'no-such-session' });
    assert.equal(answer.type, 'error');
  };

  before(async () => {
    const agents = [
      { id: 'ana', name: 'Ana', offices: ['north', 'south'], capacity: 5 },
      { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1 },
      { id: 'cleo', name: 'Cleo', offices: ['south'], capacity: 5 },
    ];
    service = await ServiceProcess.start(await ServiceProcess.configFile({ agents, offices: TEST_CONFIG.offices }));
  });
  after(async () => {
    for (const client of clients) client.socket.terminate();
    await service.kill('SIGKILL');
  });

  it('P4: only an agent of the chat\'s office may consult it, never while Waiting, and a consultant never writes to the customer, types to them or ends the chat', async () => {
    const ben = await agent('ben');
    const ana = await agent('ana');
    const cleo = await agent('cleo');
    await ben.request({ type: 'presence', status: 'available' });
    const buyer = await customer('browser-consulted');
    const { sessionId } = (await buyer.request({ type: 'start', prechat: { name: 'Dana' } })).data as { sessionId: string };
    const offer = await ben.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await ben.request({ type: 'accept', offerId: offer.offerId });
    await buyer.request({ type: 'message', cmid: 'secret-1', text: 'My card ends in 4242' });

    // Cleo works for south only; this sales chat is north's.
    const refused = await cleo.request({ type: 'consult', sessionId });
    assert.deepEqual([refused.type, refused.code], ['error', 'forbidden']);
    assert.equal(cleo.events(sessionId).length, 0);

    // Ben is full, so the next sales chat waits in the queue; nobody consults a Waiting chat.
    const waiting = await customer('browser-waiting');
    const queued = (await waiting.request({ type: 'start' })).data as { sessionId: string };
    const early = await ana.request({ type: 'consult', sessionId: queued.sessionId });
    assert.deepEqual([early.type, early.code], ['error', 'bad_request']);

    // Ana is in north: she may consult, reads the transcript, and can do nothing to the customer.
    assert.equal((await ana.request({ type: 'consult', sessionId })).type, 'result');
    await ana.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'message');
    const reply = await ana.request({ type: 'reply', sessionId, cmid: 'consultant-1', text: 'Hi, I am not your agent' });
    assert.deepEqual([reply.type, reply.code], ['error', 'not_assigned']);
    const end = await ana.request({ type: 'end-session', sessionId });
    assert.deepEqual([end.type, end.code], ['error', 'not_assigned']);
    ana.send({ type: 'agent-typing', sessionId, on: true });
    assert.equal((await ana.next((frame) => frame.type === 'error')).code, 'not_assigned');

    // The chat is Ben's as before: the customer saw none of it, and Ben still writes.
    const answer = await ben.request({ type: 'reply', sessionId, cmid: 'ben-1', text: 'Thanks, checking.' });
    assert.equal(answer.type, 'ack');
    await buyer.next((frame) => frame.type === 'event' && frame.seq === answer.seq);
    const fromAgents = buyer.events(sessionId).filter((frame) => frame.event.kind === 'message' && frame.event.from === 'agent');
    assert.deepEqual(fromAgents.map((frame) => (frame.event as { text: string }).text), ['Thanks, checking.']);
    assert.equal(buyer.frames.some((frame) => frame.type === 'typing'), false);
    assert.equal(buyer.events(sessionId).some((frame) => frame.event.kind === 'state' && frame.event.state === 'ended'), false);
  });

  it('a hello with another browser\'s id closes nobody, even with a bad agent token; only the same session or the same agent in the same browser replaces a socket', async () => {
    const victim = await customer('browser-victim');
    const { resumeToken } = (await victim.request({ type: 'start' })).data as { resumeToken: string };
    const ben = await agent('ben', 'browser-ben-desk');

    // Same browser id, no proof: a customer hello, an agent hello with a forged token, another agent's token.
    const intruder = await customer('browser-victim');
    assert.equal(intruder.frames[0]!.type, 'welcome');
    assert.equal(intruder.frames[0]!.sessionId, undefined);
    const forged = await agent('ben', 'browser-ben-desk', 'eyJraW5kIjoiYWdlbnQiLCJzdWIiOiJiZW4ifQ.AAAA');
    assert.equal((await forged.closed).code, CLOSE.unauthorized);
    const otherAgent = await agent('cleo', 'browser-ben-desk');
    assert.equal(otherAgent.frames[0]!.type, 'welcome');
    await stillServed(ben);
    assert.equal((await victim.request({ type: 'message', cmid: 'still-here', text: 'still here' })).type, 'ack');

    // The same session resumed, and the same agent in the same browser: the newer socket wins.
    const resumed = await customer('browser-victim', { resumeToken });
    assert.equal((await victim.closed).code, CLOSE.replaced);
    assert.equal(resumed.frames[0]!.replay, 'events');
    const benAgain = await agent('ben', 'browser-ben-desk');
    assert.equal((await ben.closed).code, CLOSE.replaced);
    await stillServed(benAgain);
  });

  it('authorization comes before deduplication: another agent re-using a cmid gets not_assigned, never its ack', async () => {
    const ana = await agent('ana', 'browser-ana-cmid');
    const ben = await agent('ben', 'browser-ben-cmid');
    await ana.request({ type: 'presence', status: 'available' });
    await ben.request({ type: 'presence', status: 'away' });
    const buyer = await customer('browser-cmid');
    const { sessionId } = (await buyer.request({ type: 'start' })).data as { sessionId: string };
    const offer = await ana.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await ana.request({ type: 'accept', offerId: offer.offerId });
    const customerAck = await buyer.request({ type: 'message', cmid: 'buyer-cmid', text: 'Hello?' });
    const anaAck = await ana.request({ type: 'reply', sessionId, cmid: 'ana-cmid', text: 'Hello!' });

    for (const cmid of ['ana-cmid', 'buyer-cmid']) {
      const stolen = await ben.request({ type: 'reply', sessionId, cmid, text: 'guess' });
      assert.deepEqual([stolen.type, stolen.code, stolen.seq], ['error', 'not_assigned', undefined], cmid);
    }
    // Her own re-send gets her first ack; the customer's cmid is not hers to re-use.
    assert.deepEqual(await ana.request({ type: 'reply', sessionId, cmid: 'ana-cmid', text: 'Hello!' }).then((frame) => [frame.type, frame.seq]), ['ack', anaAck.seq]);
    const taken = await ana.request({ type: 'reply', sessionId, cmid: 'buyer-cmid', text: 'collides' });
    assert.deepEqual([taken.type, taken.code], ['error', 'bad_request']);
    const again = await buyer.request({ type: 'message', cmid: 'ana-cmid', text: 'collides too' });
    assert.deepEqual([again.type, again.code], ['error', 'bad_request']);
    assert.equal((await buyer.request({ type: 'message', cmid: 'buyer-cmid', text: 'Hello?' })).seq, customerAck.seq);
    await ben.request({ type: 'presence', status: 'available' });
  });

  it('A4: presence for an office that does not exist, or named like a property of every object, is refused and cannot keep an agent Available', async () => {
    const cleo = await agent('cleo', 'browser-cleo-offices');
    await cleo.request({ type: 'presence', status: 'away' });
    for (const office of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'north', 'mars']) {
      const answer = await cleo.request({ type: 'presence', status: 'available', office });
      assert.deepEqual([answer.type, answer.code], ['error', 'bad_request'], office);
    }
    const latest = await cleo.request({ type: 'presence', status: 'away', office: 'south' });
    assert.equal(latest.type, 'result');
    const view = await cleo.next((frame) => frame.type === 'presence' && (frame.presence as { version: number }).version === (latest.data as { version: number }).version);
    const presence = view.presence as { status: string; offices: Record<string, string> };
    assert.equal(presence.status, 'away');
    assert.deepEqual(Object.keys(presence.offices), ['south']);
  });

  it('a second start from the same browser on a new socket gets session_exists; the same start repeated (its startId) gets the same chat back', async () => {
    const first = await customer('browser-twice');
    const started = (await first.request({ type: 'start', startId: 'start-1' })).data as { sessionId: string };
    first.socket.terminate();
    const second = await customer('browser-twice');
    const refused = await second.request({ type: 'start', startId: 'start-2' });
    assert.deepEqual([refused.type, refused.code], ['error', 'session_exists']);
    const repeated = await second.request({ type: 'start', startId: 'start-1' });
    assert.equal(repeated.type, 'result');
    assert.equal((repeated.data as { sessionId: string }).sessionId, started.sessionId);
    // The same start id from another browser is another start.
    const stranger = await customer('browser-stranger');
    const own = await stranger.request({ type: 'start', startId: 'start-1' });
    assert.notEqual((own.data as { sessionId: string }).sessionId, started.sessionId);
  });
});

describe('isolation: the demo deployment', () => {
  const demoDatabase = async () => ({ PARLEY_DB: join(await mkdtemp(join(tmpdir(), 'parley-demo-')), 'parley.db') });

  it('--demo refuses to start with a configuration file or a configured secret, so /demo/… never hands out a real token', async () => {
    const file = await ServiceProcess.configFile();
    await assert.rejects(ServiceProcess.start(file, { args: ['--demo'] }), /exited with 2[\s\S]*Refusing to start[\s\S]*a configuration file/);
    for (const variable of ['PARLEY_ADMIN_TOKEN', 'PARLEY_SECRET']) {
      const env = { ...(await demoDatabase()), [variable]: ADMIN_TOKEN + SECRET };
      await assert.rejects(ServiceProcess.start(undefined, { args: ['--demo'], env }), new RegExp(`exited with 2[\\s\\S]*${variable} is set`));
    }
    // Started as a library with a real configuration and the demo routes: refused too.
    await assert.rejects(startServer({ config: parseConfig(TEST_CONFIG), demo: true, log: silentLogger }), { code: 'bad_config' });
  });

  it('--demo alone serves the demo deployment and its one-click tokens', async () => {
    const demo = await ServiceProcess.start(undefined, { args: ['--demo'], env: await demoDatabase() });
    try {
      const { token } = (await (await fetch(`${demo.url}/demo/admin-token`)).json()) as { token: string };
      assert.equal(token, DEMO_CONFIG.adminToken);
    } finally {
      await demo.kill('SIGKILL');
    }
  });
});
