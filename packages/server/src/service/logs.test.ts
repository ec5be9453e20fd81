import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { ADMIN_TOKEN, SECRET, TEST_CONFIG } from '../test-support/test-server.js';
import { createLogger } from './logger.js';

async function startProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'parley-logs-'));
  const file = join(folder, 'parley.json');
  await writeFile(file, JSON.stringify({ ...TEST_CONFIG, databasePath: join(folder, 'parley.db') }));
  return ServiceProcess.start(file, { env });
}

const admin = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });

describe('logs', () => {
  it('redacts tokens and secrets wherever they sit in a logged object', () => {
    let written = '';
    const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _encoding, done) => ((written += String(chunk)), done()) }) as never });
    log.info({ token: 'tok-1', resumeToken: 'tok-2', secret: 'tok-3', adminToken: 'tok-4', authorization: 'Bearer tok-5' }, 'top level');
    log.info({ hello: { token: 'tok-6', resumeToken: 'tok-7' }, config: { secret: 'tok-8', adminToken: 'tok-9' } }, 'nested');
    log.info({ req: { id: 'r1', method: 'GET', url: '/v1/transcript', headers: { authorization: 'Bearer tok-10', cookie: 'tok-11' } } }, 'request');
    log.child({ token: 'tok-12' }).warn('child');
    for (let index = 1; index <= 12; index++) assert.ok(!written.includes(`tok-${index}`), `tok-${index} was written`);
    assert.equal(written.split('\n').filter(Boolean).length, 4);
    assert.match(written, /\[redacted\]/);
  });

  it('a real process logs JSON lines with levels and request ids, and never a token or a secret, at the most verbose level', async () => {
    const service = await startProcess({ PARLEY_LOG_LEVEL: 'trace' });
    const tokens: string[] = [SECRET, ADMIN_TOKEN];
    try {
      const agentToken = ((await (await admin(service.url, '/admin/agent-tokens', { method: 'POST', body: JSON.stringify({ agentId: 'ana' }) })).json()) as { token: string }).token;
      const adminJwt = ((await (await admin(service.url, '/admin/admin-tokens', { method: 'POST', body: '{}' })).json()) as { token: string }).token;
      tokens.push(agentToken, adminJwt);
      const agent = await TestClient.connect(service.wsUrl, { role: 'agent', browserId: 'browser-ana', token: agentToken });
      await agent.request({ type: 'presence', status: 'available' });
      const customer = await TestClient.connect(service.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales' });
      const { resumeToken, sessionId } = (await customer.request({ type: 'start', prechat: { name: 'Dana' } })).data as { resumeToken: string; sessionId: string };
      tokens.push(resumeToken);
      const offer = await agent.next((frame) => frame.type === 'offer');
      await agent.request({ type: 'accept', offerId: offer.offerId });
      await customer.request({ type: 'message', cmid: 'c1', text: 'hello' });
      await customer.close();
      const back = await TestClient.connect(service.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales', resumeToken, lastSeq: 0 });
      tokens.push(String(back.frames.find((frame) => frame.type === 'welcome')!.resumeToken));
      assert.equal((await fetch(`${service.url}/v1/transcript`, { headers: { authorization: `Bearer ${resumeToken}`, 'x-request-id': 'probe-1' } })).status, 200);
      await admin(service.url, '/admin/config', { headers: { authorization: `Bearer ${adminJwt}` } });
      await fetch(`${service.url}/v1/transcript`, { headers: { authorization: `Bearer ${resumeToken}x` } });
      const intruder = await TestClient.connect(service.wsUrl, { role: 'agent', browserId: 'b', token: `${agentToken}x` });
      await intruder.closed;
      await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'hi' });
    } finally {
      await service.kill('SIGTERM');
    }
    const output = service.output.text;
    for (const token of tokens) assert.ok(!output.includes(token), `a token or secret was logged: ${token.slice(0, 12)}…`);
    const lines = service.logLines();
    assert.ok(lines.length > 5);
    for (const line of lines) assert.ok(typeof line.level === 'number' && typeof line.time === 'number' && typeof line.msg === 'string', JSON.stringify(line));
    const request = lines.find((line) => line.reqId === 'probe-1');
    assert.deepEqual([request?.level, request?.url, request?.status], [20, '/v1/transcript', 200]);
  });

  it('a request body the client aborts is logged once, at info, never as an error', async () => {
    const service = await startProcess({});
    try {
      const socket = connect(Number(new URL(service.url).port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('POST /v1/offline-messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"button":');
      // The server has the headers and part of the body once it answers nothing yet; then the client goes away.
      socket.destroy();
      await service.outputMatching(/request aborted by the client/);
    } finally {
      await service.kill('SIGTERM');
    }
    const lines = service.logLines();
    const aborted = lines.filter((line) => line.msg === 'request aborted by the client');
    assert.equal(aborted.length, 1);
    assert.equal(aborted[0]!.level, 30);
    assert.deepEqual(lines.filter((line) => (line.level as number) >= 50), []);
  });
});
