import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { openChat, reachedState } from '../test-support/chat-setup.js';
import { TestClient } from '../test-support/test-client.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

const HOUR = 3600_000;

describe('token revocation and expiry', () => {
  let service: TestService;
  afterEach(() => service.close());

  /** Says hello as an agent with this token: the welcome, or the close code. */
  async function agentHello(token: string, browserId = 'browser-ana-2'): Promise<{ welcome: boolean; code?: number; message?: string }> {
    const client = await TestClient.connect(service.wsUrl);
    const answer = client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
    client.send({ type: 'hello', v: 1, role: 'agent', browserId, token });
    const frame = await answer;
    if (frame.type === 'welcome') return { welcome: true };
    return { welcome: false, code: (await client.closed).code, message: String(frame.message) };
  }

  it('A6: logout revokes the agent token it signed in with; a token issued afterwards works', async () => {
    service = await startTestService();
    const token = await service.server.service.auth.agentToken('ana', 12);
    assert.deepEqual(await agentHello(token, 'browser-a'), { welcome: true });
    const ana = await TestClient.connect(service.wsUrl, { role: 'agent', browserId: 'browser-b', token });
    await ana.request({ type: 'logout' });
    assert.equal((await ana.closed).code, 4410);
    const again = await agentHello(token);
    assert.equal(again.code, 4401);
    assert.match(again.message!, /revoked/);
    assert.deepEqual(await agentHello(await service.server.service.auth.agentToken('ana', 12)), { welcome: true });
  });

  it('an admin revokes every token of an agent: her sockets close with 4410 and her old token is refused', async () => {
    service = await startTestService();
    const token = await service.server.service.auth.agentToken('ana', 12);
    const tabs = [await TestClient.connect(service.wsUrl, { role: 'agent', browserId: 'browser-a', token }), await TestClient.connect(service.wsUrl, { role: 'agent', browserId: 'browser-b', token })];
    const ben = await service.agent('ben');
    const revoked = await service.admin('POST', '/admin/agents/ana/revoke-tokens');
    assert.deepEqual([revoked.status, revoked.body], [200, { revoked: 'ana' }]);
    for (const tab of tabs) assert.equal((await tab.closed).code, 4410);
    assert.equal((await agentHello(token)).code, 4401);
    assert.equal(service.server.service.presence.view('ana').status, 'offline');
    // Ben is untouched.
    assert.equal((await ben.request({ type: 'presence', status: 'available' })).type, 'result');
    assert.equal((await service.admin('POST', '/admin/agents/mallory/revoke-tokens')).status, 404);
  });

  it('a resume token resumes an Ended session for resumeAfterEndHours, then names no session; the transcript read is refused', async () => {
    service = await startTestService({ tokens: { resumeAfterEndHours: 24 } });
    const { customer, sessionId, resumeToken } = await openChat(service);
    await customer.request({ type: 'end' });
    await reachedState(customer, sessionId, 'ended');
    await customer.close();
    await service.advance(23 * HOUR);
    const soon = await service.customer('browser-1', { resumeToken });
    const welcome = soon.frames.find((frame) => frame.type === 'welcome')!;
    assert.deepEqual([welcome.sessionId, welcome.state], [sessionId, 'ended']);
    await soon.close();
    await service.advance(2 * HOUR);
    const late = await service.customer('browser-1', { resumeToken });
    const lateWelcome = late.frames.find((frame) => frame.type === 'welcome')!;
    assert.deepEqual([lateWelcome.sessionId, lateWelcome.replay], [undefined, 'none']);
    const transcript = await fetch(`${service.server.url}/v1/transcript`, { headers: { authorization: `Bearer ${resumeToken}` } });
    assert.equal(transcript.status, 401);
  });

  it('a resume token unused for resumeTokenHours expires, while every welcome hands out a fresh one', async () => {
    service = await startTestService({ tokens: { resumeTokenHours: 24 } });
    const { customer, resumeToken, sessionId } = await openChat(service);
    await customer.close();
    await service.advance(20 * HOUR);
    const back = await service.customer('browser-1', { resumeToken });
    const fresh = back.frames.find((frame) => frame.type === 'welcome')!;
    assert.equal(fresh.sessionId, sessionId);
    assert.notEqual(fresh.resumeToken, resumeToken);
    await back.close();
    await service.advance(20 * HOUR);
    // The first token is 40 hours old; the one from the last welcome, 20.
    const withOld = await service.customer('browser-1', { resumeToken });
    assert.equal(withOld.frames.find((frame) => frame.type === 'welcome')!.sessionId, undefined);
    await withOld.close();
    const withFresh = await service.customer('browser-1', { resumeToken: fresh.resumeToken });
    assert.equal(withFresh.frames.find((frame) => frame.type === 'welcome')!.sessionId, sessionId);
  });

  it('M3, N2: a resume in the first half of the token\'s life keeps the token (a drain signs nothing per client); past half, the welcome renews it', async () => {
    service = await startTestService({ tokens: { resumeTokenHours: 24 } });
    const { customer, resumeToken, sessionId } = await openChat(service);
    await customer.close();
    await service.advance(11 * HOUR);
    const early = await service.customer('browser-1', { resumeToken });
    const kept = early.frames.find((frame) => frame.type === 'welcome')!;
    assert.deepEqual([kept.sessionId, kept.resumeToken], [sessionId, resumeToken]);
    await early.close();
    await service.advance(2 * HOUR);
    const late = await service.customer('browser-1', { resumeToken });
    const renewed = late.frames.find((frame) => frame.type === 'welcome')!;
    assert.equal(renewed.sessionId, sessionId);
    assert.notEqual(renewed.resumeToken, resumeToken);
  });
});
