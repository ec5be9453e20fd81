import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { testAgentToken } from '../test-support/test-server.js';

// Every client address is real: sockets bound to other loopback addresses (127.0.0.2, …).
const AGENTS = [
  { id: 'ana', name: 'Ana', offices: ['north'], capacity: 50 },
  { id: 'cleo', name: 'Cleo', offices: ['south'], capacity: 1 },
];

describe('hostile input: floods from one client or many', () => {
  let service: ServiceProcess;
  const clients: TestClient[] = [];
  const track = (client: TestClient) => (clients.push(client), client);
  const start = (overrides: Record<string, unknown>) => ServiceProcess.configFile({ agents: AGENTS, ...overrides }).then(ServiceProcess.start).then((started) => (service = started));
  const agent = async (agentId: string) => {
    const client = track(await TestClient.connect(service.wsUrl, { role: 'agent', browserId: `browser-${agentId}`, token: await testAgentToken(agentId) }));
    await client.request({ type: 'presence', status: 'available' });
    return client;
  };
  const customer = async (browserId: string, button = 'sales', from?: string, headers: Record<string, string> = {}) =>
    track(await TestClient.connect(service.wsUrl, { role: 'customer', browserId, button }, headers, from));
  /** One hostile start on a fresh socket: the error code, `started`, or `refused` when the socket itself was refused. */
  const hostileStart = async (browserId: string, button: string, from: string): Promise<string> => {
    const client = await TestClient.connect(service.wsUrl, { role: 'customer', browserId, button }, {}, from).catch(() => undefined);
    if (!client) return 'refused';
    try {
      const [first] = client.frames;
      if (first?.type === 'error') return `${first.code}: ${first.message}`;
      const answer = await Promise.race([client.request({ type: 'start' }), client.closed.then(({ code }) => ({ type: 'closed', code, message: '' }))]);
      return answer.type === 'result' ? 'started' : `${answer.code}: ${answer.message}`;
    } finally {
      client.socket.terminate();
    }
  };
  /** A customer and Ana chatting both ways, start to answer. */
  const normalChat = async (ana: TestClient, browserId: string) => {
    const buyer = await customer(browserId);
    const started = await buyer.request({ type: 'start', prechat: { name: 'Real customer' } });
    assert.equal(started.type, 'result', JSON.stringify(started));
    const { sessionId } = started.data as { sessionId: string };
    const offer = await ana.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    assert.equal((await ana.request({ type: 'accept', offerId: offer.offerId })).type, 'result');
    const question = await buyer.request({ type: 'message', cmid: 'q', text: 'Where is my parcel?' });
    await ana.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.seq === question.seq);
    const reply = await ana.request({ type: 'reply', sessionId, cmid: 'a', text: 'It left this morning.' });
    await buyer.next((frame) => frame.type === 'event' && frame.seq === reply.seq);
  };
  /** C2: leaves an offline message from the address `from`; the status and error code. */
  const leaveMessage = (from: string, headers: Record<string, string> = {}) =>
    new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ button: 'sales', name: 'Ann', email: 'ann@example.com', text: 'Please call me back.' });
      const post = httpRequest(`${service.url}/v1/offline-messages`, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += String(chunk)));
        response.on('end', () => resolve(`${response.statusCode} ${(JSON.parse(text) as { error?: { code: string } }).error?.code ?? 'stored'}`));
      });
      post.on('error', reject);
      post.end(body);
    });
  const countBy = (results: string[]) => results.reduce<Record<string, number>>((counts, result) => ({ ...counts, [result.split(':')[0]!]: (counts[result.split(':')[0]!] ?? 0) + 1 }), {});

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    await service.kill('SIGKILL');
  });

  it('one address starting 300 chats gets chatStartsPerAddress of them and a clear rate_limited for the rest, while a real customer chats with an agent', async () => {
    // Frame limits out of the way: this is about the chats started.
    await start({ limits: { chatStartsPerAddress: 20, addressFramesPerSecond: 10_000, addressFrameBurst: 10_000 } });
    const ana = await agent('ana');
    const flood = Promise.all(
      Array.from({ length: 10 }, async (_, worker) => {
        const results: string[] = [];
        for (let index = 0; index < 30; index++) results.push(await hostileStart(`flood-${worker}-${index}`, 'sales', '127.0.0.2'));
        return results;
      }),
    ).then((lists) => lists.flat());
    await normalChat(ana, 'browser-real');
    const results = await flood;
    assert.deepEqual(countBy(results), { started: 20, rate_limited: 280 });
    assert.match(results.find((result) => result.startsWith('rate_limited'))!, /from your network \(at most 20 per 10 minutes\)/);
  });

  it('one browser gets one open chat at a time and chatStartsPerBrowser starts per window', async () => {
    await start({ limits: { chatStartsPerBrowser: 3 } });
    await agent('ana');
    const browser = await customer('browser-restless', 'sales', '127.0.0.3');
    for (let round = 0; round < 3; round++) {
      assert.equal((await browser.request({ type: 'start' })).type, 'result');
      assert.equal((await browser.request({ type: 'start' })).code, 'session_exists');
      assert.equal((await browser.request({ type: 'end' })).type, 'result');
    }
    const refused = await browser.request({ type: 'start' });
    assert.deepEqual([refused.code, refused.message], ['rate_limited', 'Too many chats were started from this browser (at most 3 per 10 minutes); please try again later.']);
    // The window passes (business time), and the browser may start again.
    await service.advance(10 * 60_000);
    assert.equal((await browser.request({ type: 'start' })).type, 'result');
  });

  it('Q1: a button\'s queue holds at most waitingPerButton chats from a flood of many addresses; the next customer hears queue_full and can leave a message; another button chats normally meanwhile', async () => {
    await start({ limits: { waitingPerButton: 5 } });
    const ana = await agent('ana');
    // Cleo answers support but has room for one chat: the rest of support's chats wait.
    await agent('cleo');
    const flood = Promise.all(Array.from({ length: 30 }, (_, index) => hostileStart(`support-flood-${index}`, 'support', `127.0.0.${10 + index}`)));
    await normalChat(ana, 'browser-sales-buyer');
    const results = await flood;
    assert.deepEqual(countBy(results), { started: 5, queue_full: 25 });

    const late = await customer('browser-support-late', 'support', '127.0.0.60');
    const refused = await late.request({ type: 'start' });
    assert.equal(refused.code, 'queue_full');
    assert.match(refused.message as string, /leave a message/);
    const left = await fetch(`${service.url}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button: 'support', name: 'Late', email: 'late@example.com', text: 'Please call me back.' }),
    });
    assert.equal(left.status, 201);
  });

  it('one address gets connectionsPerAddress sockets and addressFramesPerSecond across them; a real customer elsewhere chats meanwhile', async () => {
    await start({ limits: { connectionsPerAddress: 10, addressFramesPerSecond: 5, addressFrameBurst: 20 } });
    const ana = await agent('ana');
    const opened = await Promise.all(Array.from({ length: 15 }, (_, index) => customer(`many-${index}`, 'sales', '127.0.0.2').catch((error: Error) => error)));
    const sockets = opened.filter((client): client is TestClient => client instanceof TestClient);
    assert.equal(sockets.length, 10);
    assert.ok(opened.filter((client) => client instanceof Error).every((error) => /429/.test((error as Error).message)));

    // 10 frames on each of the 10 sockets: within each socket's own limit, far past the address's.
    const began = performance.now();
    const errorsOf = (socket: TestClient) => socket.frames.filter((frame) => frame.type === 'error');
    for (const socket of sockets) for (let index = 0; index < 10; index++) socket.send({ type: 'end', ref: `end-${index}` });
    const answers = Promise.all(
      sockets.map(async (socket) => {
        while (errorsOf(socket).length < 10) await socket.next((frame) => frame.type === 'error');
      }),
    );
    await normalChat(ana, 'browser-elsewhere');
    await answers;
    const codes = sockets.flatMap((socket) => errorsOf(socket).map((frame) => frame.code as string));
    const seconds = (performance.now() - began) / 1000;
    const served = codes.filter((code) => code === 'no_session').length;
    assert.equal(served + codes.filter((code) => code === 'rate_limited').length, 100);
    assert.ok(served <= 20 + Math.ceil(5 * seconds) + 1, `${served} frames served in ${seconds.toFixed(2)} s`);
  });

  it('C6: a frame dropped by the rate limit gets rate_limited with its ref (the client sends it again); one with no readable ref gets the same typed error, without one, and the process carries on', async () => {
    // One frame a second after a burst of 3: the hello takes one, two more pass, the rest are dropped.
    await start({ limits: { framesPerSecond: 1, frameBurst: 3 } });
    const flooder = await customer('browser-flood');
    const refs = Array.from({ length: 12 }, (_, index) => `end-${index}`);
    for (const ref of refs) flooder.send({ type: 'end', ref });
    // One error each (the served ones: no_session; a dropped one is answered at once, so sooner).
    const answers = [];
    for (let count = 0; count < refs.length; count++) answers.push(await flooder.next((frame) => frame.type === 'error'));
    assert.deepEqual(answers.map((frame) => frame.ref).sort(), [...refs].sort());
    const limited = answers.filter((frame) => frame.code === 'rate_limited');
    assert.ok(limited.length >= refs.length - 3, `${limited.length} of ${refs.length} dropped by the limit`);
    assert.match(limited[0]!.message as string, /Too many frames/);

    // Frames whose ref cannot be read: not JSON, JSON that is not an object, a ref that is not a string or too long, binary.
    const unreadable = ['{"type":"end","ref":', '"end"', 'null', JSON.stringify({ type: 'end', ref: 42 }), JSON.stringify({ type: 'end', ref: 'x'.repeat(65) })];
    for (const text of unreadable) flooder.send(text);
    flooder.socket.send(Buffer.from(JSON.stringify({ type: 'end', ref: 'binary' })), { binary: true });
    for (let count = 0; count < unreadable.length + 1; count++) {
      const error = await flooder.next((frame) => frame.type === 'error' && frame.ref === undefined);
      assert.ok(['rate_limited', 'bad_frame'].includes(error.code as string), JSON.stringify(error));
    }
    assert.equal(flooder.socket.readyState, flooder.socket.OPEN);
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
    assert.equal(service.child.exitCode, null);
  });

  it('C2: offline messages are limited per address and in total, only from allowed page origins, and deleted at the retention age; a real customer chats meanwhile', async () => {
    await start({ limits: { offlineMessagesPerAddress: 5, offlineMessagesStored: 12 }, retention: { offlineMessageDays: 1 } });
    const ana = await agent('ana');
    const flood = Promise.all(Array.from({ length: 20 }, () => leaveMessage('127.0.0.2')));
    await normalChat(ana, 'browser-real');
    assert.deepEqual(countBy(await flood), { '201 stored': 5, '429 rate_limited': 15 });

    // A page of another origin cannot leave one (no preflight protects a simple POST); the service's own page can.
    assert.equal(await leaveMessage('127.0.0.3', { origin: 'https://evil.example' }), '403 forbidden');
    assert.equal(await leaveMessage('127.0.0.3', { origin: service.url }), '201 stored');

    // Twelve stored in all: the box is full for everyone.
    for (let index = 0; index < 6; index++) assert.equal(await leaveMessage(`127.0.0.${20 + index}`), '201 stored');
    assert.equal(await leaveMessage('127.0.0.40'), '503 queue_full');
    // The retention is one day: not a moment before it, everything is deleted at it.
    await service.advance(23 * 3600_000);
    assert.equal(await leaveMessage('127.0.0.41'), '503 queue_full');
    await service.advance(3600_000);
    assert.equal(await leaveMessage('127.0.0.42'), '201 stored');
  });

  it('counts the client behind a trusted proxy by X-Forwarded-For, and ignores that header from anyone else', async () => {
    await start({ limits: { connectionsPerAddress: 2 }, trustedProxies: ['127.0.0.5'] });
    const viaProxy = (client: string) => customer(`proxied-${Math.random()}`, 'sales', '127.0.0.5', { 'x-forwarded-for': client });
    await viaProxy('198.51.100.7');
    await viaProxy('198.51.100.7');
    await assert.rejects(viaProxy('198.51.100.7'), /429/);
    await viaProxy('198.51.100.8');
    // A client that is not a trusted proxy cannot pick the address it is counted under.
    const direct = (forwarded: string) => customer(`direct-${Math.random()}`, 'sales', '127.0.0.6', { 'x-forwarded-for': forwarded });
    await direct('203.0.113.1');
    await direct('203.0.113.2');
    await assert.rejects(direct('203.0.113.3'), /429/);
  });
});
