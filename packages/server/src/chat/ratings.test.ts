import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Rating } from '@parley/protocol';
import { openChat, reachedState } from '../test-support/chat-setup.js';
import { ADMIN_TOKEN, startTestService, type TestService } from '../test-support/test-server.js';

describe('ratings after the chat', () => {
  let service: TestService;
  afterEach(() => service.close());

  const report = async () => (await service.admin('GET', '/admin/ratings')).body as { ratings: Rating[]; count: number; average: number | null };

  it('I3: the customer rates the ended chat; the agent sees it in the transcript; a second rating replaces the first', async () => {
    service = await startTestService();
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'end' });
    await reachedState(agent, sessionId, 'ended');
    const rated = await customer.request({ type: 'rate', score: 4, comment: 'Quick and kind' });
    assert.deepEqual([rated.type, rated.data], ['result', { score: 4, comment: 'Quick and kind' }]);
    const seen = await agent.next((frame) => frame.type === 'event' && frame.event.kind === 'rating');
    assert.deepEqual([seen.sessionId, seen.event], [sessionId, { kind: 'rating', score: 4, comment: 'Quick and kind' }]);
    // The same rating again (a retry) adds nothing; another one replaces it.
    assert.equal((await customer.request({ type: 'rate', score: 4, comment: 'Quick and kind' })).type, 'result');
    await service.advance(1000);
    assert.equal((await customer.request({ type: 'rate', score: 2 })).type, 'result');
    await agent.next((frame) => frame.type === 'event' && frame.event.kind === 'rating' && frame.event.score === 2);
    assert.deepEqual(agent.events(sessionId).filter((frame) => frame.event.kind === 'rating').map((frame) => (frame.event as { score: number }).score), [4, 2]);
    const { ratings, count, average } = await report();
    assert.deepEqual(ratings, [{ sessionId, button: 'sales', agentId: 'ana', score: 2, comment: '', at: service.clock.now() }]);
    assert.deepEqual([count, average], [1, 2]);
  });

  it('I3: bad scores and comments, and a rating before the end, are refused and store nothing', async () => {
    service = await startTestService();
    const { customer } = await openChat(service);
    assert.equal((await customer.request({ type: 'rate', score: 5 })).code, 'session_open');
    await customer.request({ type: 'end' });
    for (const bad of [{ score: 0 }, { score: 6 }, { score: 2.5 }, { score: '5' }, {}, { score: 3, comment: 'x'.repeat(1001) }, { score: 3, comment: 7 }, { score: 3, extra: true }]) {
      assert.equal((await customer.request({ type: 'rate', ...bad })).code, 'bad_frame', JSON.stringify(bad).slice(0, 60));
    }
    assert.deepEqual(await report(), { ratings: [], count: 0, average: null });
  });

  it("I3: only the session's customer rates it: an agent cannot, and another browser rates nothing of it", async () => {
    service = await startTestService();
    const { agent, customer, sessionId } = await openChat(service);
    await customer.request({ type: 'end' });
    await reachedState(agent, sessionId, 'ended');
    assert.equal((await agent.request({ type: 'rate', score: 5, sessionId })).code, 'bad_frame');
    const stranger = await service.customer('browser-2');
    assert.equal((await stranger.request({ type: 'rate', score: 1 })).code, 'no_session');
    assert.equal((await stranger.request({ type: 'rate', score: 1, sessionId })).code, 'bad_frame');
    assert.deepEqual(await report(), { ratings: [], count: 0, average: null });
  });

  it('I3: admins get the report as CSV (ISO times, formula-safe cells); nobody else gets it; bad queries are refused', async () => {
    service = await startTestService();
    const { customer, sessionId } = await openChat(service);
    await customer.request({ type: 'end' });
    await customer.request({ type: 'rate', score: 1, comment: '=HYPERLINK("http://evil.example")' });
    const response = await fetch(`${service.server.url}/admin/ratings?format=csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="ratings.csv"/);
    const [header, row, end] = (await response.text()).split('\r\n');
    assert.equal(header, 'at,sessionId,button,agentId,score,comment');
    assert.equal(row, `${new Date(service.clock.now()).toISOString()},${sessionId},sales,ana,1,"'=HYPERLINK(""http://evil.example"")"`);
    assert.equal(end, '');
    assert.equal((await fetch(`${service.server.url}/admin/ratings`)).status, 401);
    assert.equal((await fetch(`${service.server.url}/admin/ratings`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await service.admin('GET', '/admin/ratings?format=xls')).status, 400);
    assert.equal((await service.admin('GET', '/admin/ratings?from=20&to=10')).status, 400);
    assert.equal((await service.admin('GET', `/admin/ratings?to=${service.clock.now() - 1}`)).body.count, 0);
  });
});
