import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SessionEvent } from '@parley/protocol';
import { initialPresence } from '../presence/presence-rules.js';
import type { SessionRecord, Store } from './store.js';

export interface StoreUnderTest {
  store: Store;
  close(): Promise<void>;
}

/** A stored session for store tests: Waiting on `sales`, nothing sent yet. */
export const session = (id: string, patch: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  button: 'sales',
  office: 'north',
  browserId: `browser-${id}`,
  state: 'waiting',
  origin: 'customer',
  prechat: { name: 'Dana' },
  agentId: null,
  previousAgentId: null,
  lastSeq: 0,
  awaitingReply: false,
  awaitingFirstReply: false,
  createdAt: 1000,
  updatedAt: 1000,
  startId: null,
  userId: null,
  identity: null,
  ...patch,
});
const message = (text: string): SessionEvent => ({ kind: 'message', from: 'customer', author: 'Dana', text });

/** Resolves when `open` is called: lets a test hold a transaction open while another starts. */
function latch(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * The behaviour every Store adapter must have, run against each of them
 * (SQLite and PostgreSQL): the same calls, the same answers, and the same
 * guarantees when transactions run at once.
 */
export function storeContract(engine: string, open: () => Promise<StoreUnderTest>): void {
  describe(`the store contract on ${engine}`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(() => subject.close());

    it('N1: of first values claimed at once for a key, one is stored and every claimer gets it', async () => {
      const claimed = await Promise.all(Array.from({ length: 8 }, (_, index) => store.claimMeta('epoch', `epoch-${index}`)));
      assert.equal(new Set(claimed).size, 1);
      assert.equal(await store.getMeta('epoch'), claimed[0]);
      assert.equal(await store.claimMeta('epoch', 'later'), claimed[0]);
    });

    it('keeps meta values and overwrites them', async () => {
      assert.equal(await store.getMeta('epoch'), undefined);
      await store.setMeta('epoch', 'a');
      await store.setMeta('epoch', 'b');
      assert.equal(await store.getMeta('epoch'), 'b');
    });

    it('stores sessions, patches them, and finds them by state (oldest first) and by browser (newest)', async () => {
      await store.createSession(session('s1', { createdAt: 1000 }));
      await store.createSession(session('s2', { createdAt: 1000, browserId: 'browser-s1' }));
      await store.createSession(session('s3', { createdAt: 500, state: 'active', agentId: 'ana' }));
      assert.deepEqual(await store.getSession('s3'), session('s3', { createdAt: 500, state: 'active', agentId: 'ana' }));
      assert.equal(await store.getSession('nope'), undefined);
      await store.updateSession('s1', { state: 'active', agentId: 'ben', awaitingReply: true, prechat: { name: 'Eve' }, updatedAt: 2000 });
      const patched = await store.getSession('s1');
      assert.deepEqual({ ...patched }, session('s1', { state: 'active', agentId: 'ben', awaitingReply: true, prechat: { name: 'Eve' }, updatedAt: 2000 }));
      await store.updateSession('s1', { agentId: null });
      assert.equal((await store.getSession('s1'))?.agentId, null);
      await store.updateSession('s1', {});
      assert.deepEqual((await store.sessionsInState('waiting')).map((row) => row.id), ['s2']);
      assert.deepEqual((await store.sessionsInState('active')).map((row) => row.id), ['s3', 's1']);
      assert.equal((await store.latestSessionOfBrowser('browser-s1'))?.id, 's2');
      assert.deepEqual(await store.countSessionsByState(), { waiting: 1, active: 2 });
    });

    it('stores one session per start id of a browser, and finds a browser\'s open chat and a button\'s queue length', async () => {
      const first = await store.createSession(session('s1', { browserId: 'b1', startId: 'start-1' }));
      assert.equal(first.id, 's1');
      const again = await store.createSession(session('s2', { browserId: 'b1', startId: 'start-1' }));
      assert.equal(again.id, 's1');
      assert.equal(await store.getSession('s2'), undefined);
      assert.equal((await store.createSession(session('s3', { browserId: 'b2', startId: 'start-1' }))).id, 's3');
      assert.equal((await store.sessionOfStart('b1', 'start-1'))?.id, 's1');
      assert.equal(await store.sessionOfStart('b1', 'start-2'), undefined);
      await store.createSession(session('s4', { browserId: 'b1', origin: 'agent', state: 'active', createdAt: 2000 }));
      assert.equal((await store.openSessionOfBrowser('b1'))?.id, 's1');
      await store.updateSession('s1', { state: 'ended' });
      assert.equal(await store.openSessionOfBrowser('b1'), undefined);
      assert.equal(await store.countWaiting('sales'), 1);
      assert.equal(await store.countWaiting('support'), 0);
    });

    it("I1: finds a verified user's newest open session, whichever browser began it, and keeps its claims", async () => {
      const identity = { userId: 'user-7', name: 'Dana Scully', email: 'dana@example.com', attributes: { plan: 'pro' } };
      await store.createSession(session('u1', { browserId: 'b1', userId: 'user-7', identity, createdAt: 1000 }));
      await store.createSession(session('u2', { browserId: 'b2', userId: 'user-7', identity, createdAt: 2000 }));
      await store.createSession(session('u3', { browserId: 'b3', createdAt: 3000 }));
      assert.deepEqual(await store.openSessionOfUser('user-7'), session('u2', { browserId: 'b2', userId: 'user-7', identity, createdAt: 2000 }));
      assert.deepEqual((await store.getSession('u1'))?.identity, identity);
      assert.equal(await store.openSessionOfUser('user-8'), undefined);
      await store.updateSession('u2', { state: 'ended' });
      assert.equal((await store.openSessionOfUser('user-7'))?.id, 'u1');
      await store.updateSession('u1', { state: 'ended' });
      assert.equal(await store.openSessionOfUser('user-7'), undefined);
    });

    it('N1: the same start on two nodes at once stores one session', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, index) => store.transaction(() => store.createSession(session(`race-${index}`, { browserId: 'b9', startId: 'same' })))),
      );
      assert.equal(new Set(results.map((result) => result.id)).size, 1);
      assert.equal((await store.sessionsInState('waiting')).filter((row) => row.browserId === 'b9').length, 1);
    });

    it('keeps the queue first come, first served among sessions created in the same millisecond', async () => {
      for (const id of ['q3', 'q1', 'q2']) await store.createSession(session(id, { createdAt: 7 }));
      assert.deepEqual((await store.sessionsInState('waiting')).map((row) => row.id), ['q3', 'q1', 'q2']);
    });

    it('N1: appends events with the session\'s next seq, and a repeated cmid stores nothing and answers the first seq', async () => {
      await store.createSession(session('s1'));
      assert.deepEqual(await store.appendEvent('s1', { kind: 'state', state: 'waiting', reason: 'started' }, 1001), { seq: 1, duplicate: false });
      assert.deepEqual(await store.appendEvent('s1', message('hello'), 1002, 'c1'), { seq: 2, duplicate: false });
      assert.deepEqual(await store.appendEvent('s1', message('hello again'), 1003, 'c1'), { seq: 2, duplicate: true });
      assert.deepEqual(await store.appendEvent('s1', message('next'), 1004, 'c2'), { seq: 3, duplicate: false });
      assert.equal((await store.getSession('s1'))?.lastSeq, 3);
      assert.deepEqual(await store.eventsAfter('s1', 1), [
        { sessionId: 's1', seq: 2, at: 1002, event: message('hello') },
        { sessionId: 's1', seq: 3, at: 1004, event: message('next') },
      ]);
      assert.equal(await store.seqOfCmid('s1', 'c2'), 3);
      assert.equal(await store.seqOfCmid('s1', 'c9'), undefined);
      assert.equal(await store.countMessages(), 2);
      await assert.rejects(store.appendEvent('missing', message('x'), 1));
    });

    it('N1: appends running at once get gap-free seqs, and the same cmid sent at once is stored once', async () => {
      await store.createSession(session('s1'));
      const distinct = await Promise.all(Array.from({ length: 20 }, (_, index) => store.appendEvent('s1', message(`m${index}`), 2000 + index, `c${index}`)));
      assert.deepEqual(distinct.map((result) => result.seq).sort((a, b) => a - b), Array.from({ length: 20 }, (_, index) => index + 1));
      const same = await Promise.all(Array.from({ length: 10 }, () => store.transaction(() => store.appendEvent('s1', message('twice?'), 3000, 'same'))));
      assert.equal(new Set(same.map((result) => result.seq)).size, 1);
      assert.equal(same.filter((result) => !result.duplicate).length, 1);
      assert.equal((await store.eventsAfter('s1', 0)).length, 21);
    });

    it('S10: keeps deadlines, moves one when set again, clears it (only at its time, when given one), and lists what is due in time order', async () => {
      await store.setDeadline({ subject: 'session:a', kind: 'end', dueAt: 300 });
      await store.setDeadline({ subject: 'session:b', kind: 'end', dueAt: 100 });
      await store.setDeadline({ subject: 'session:a', kind: 'end', dueAt: 200 });
      await store.setDeadline({ subject: 'agent:x', kind: 'idle', dueAt: 900 });
      assert.deepEqual(await store.nextDeadline(), { subject: 'session:b', kind: 'end', dueAt: 100 });
      assert.deepEqual(await store.dueDeadlines(250), [
        { subject: 'session:b', kind: 'end', dueAt: 100 },
        { subject: 'session:a', kind: 'end', dueAt: 200 },
      ]);
      await store.clearDeadline('session:a', 'end', 999);
      assert.equal((await store.dueDeadlines(250)).length, 2);
      await store.clearDeadline('session:a', 'end', 200);
      await store.clearDeadline('session:b', 'end');
      assert.deepEqual(await store.dueDeadlines(10_000), [{ subject: 'agent:x', kind: 'idle', dueAt: 900 }]);
    });

    it('N1: transactions running at once each claim a different due deadline; none is claimed twice', async () => {
      for (let index = 0; index < 6; index++) await store.setDeadline({ subject: `offer:${index}`, kind: 'offer', dueAt: 100 + index });
      await store.setDeadline({ subject: 'offer:later', kind: 'offer', dueAt: 5000 });
      const claimed = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.transaction(async () => {
            const deadline = await store.claimDeadline(1000);
            if (deadline) await store.clearDeadline(deadline.subject, deadline.kind, deadline.dueAt);
            return deadline?.subject;
          }),
        ),
      );
      const subjects = claimed.filter((subject) => subject !== undefined);
      assert.equal(new Set(subjects).size, subjects.length);
      assert.deepEqual(await store.dueDeadlines(1000), []);
      assert.equal((await store.nextDeadline())?.subject, 'offer:later');
    });

    it('keeps work per session and agent, with its phase', async () => {
      await store.putWork({ sessionId: 's1', agentId: 'ana', phase: 'open', since: 10 });
      await store.putWork({ sessionId: 's2', agentId: 'ana', phase: 'consult', since: 20 });
      await store.putWork({ sessionId: 's1', agentId: 'ben', phase: 'consult', since: 30 });
      await store.putWork({ sessionId: 's1', agentId: 'ana', phase: 'wrap-up', since: 40 });
      assert.deepEqual(await store.workOfAgent('ana'), [
        { sessionId: 's2', agentId: 'ana', phase: 'consult', since: 20 },
        { sessionId: 's1', agentId: 'ana', phase: 'wrap-up', since: 40 },
      ]);
      assert.deepEqual((await store.workOfSession('s1')).map((work) => work.agentId), ['ben', 'ana']);
      await store.removeWork('s1', 'ben');
      assert.equal((await store.allWork()).length, 2);
    });

    it('Q1: reads every agent\'s capacity in use, offers out and presence at once', async () => {
      await store.putWork({ sessionId: 's1', agentId: 'ana', phase: 'open', since: 10 });
      await store.putWork({ sessionId: 's2', agentId: 'ana', phase: 'wrap-up', since: 20 });
      await store.putWork({ sessionId: 's3', agentId: 'ana', phase: 'consult', since: 30 });
      await store.putWork({ sessionId: 's3', agentId: 'ben', phase: 'open', since: 30 });
      await store.putWork({ sessionId: 's1', agentId: 'cy', phase: 'consult', since: 40 });
      assert.deepEqual(await store.workloads(), { ana: 2, ben: 1 });
      assert.deepEqual(await store.offerCounts(), {});
      await store.putOffer({ id: 'o1', sessionId: 's4', agentId: 'ben', createdAt: 1, expiresAt: 31 });
      await store.putOffer({ id: 'o2', sessionId: 's5', agentId: 'ben', createdAt: 2, expiresAt: 32 });
      await store.putOffer({ id: 'o3', sessionId: 's6', agentId: 'cy', createdAt: 3, expiresAt: 33 });
      assert.deepEqual(await store.offerCounts(), { ben: 2, cy: 1 });
      assert.deepEqual(await store.presences(), []);
      await store.putPresence(initialPresence('ben', ['north'], 1, 1000), true);
      await store.putPresence(initialPresence('ana', ['north', 'south'], 2, 1000), true);
      assert.deepEqual(
        (await store.presences()).map((state) => [state.agentId, state.capacity.total]),
        [['ana', 2], ['ben', 1]],
      );
    });

    it('keeps offers, at most one per session', async () => {
      const offer = { id: 'o1', sessionId: 's1', agentId: 'ana', createdAt: 1, expiresAt: 31 };
      await store.putOffer(offer);
      await store.putOffer({ id: 'o2', sessionId: 's2', agentId: 'ana', createdAt: 2, expiresAt: 32 });
      assert.deepEqual(await store.getOffer('o1'), offer);
      await assert.rejects(store.putOffer({ id: 'o3', sessionId: 's1', agentId: 'ben', createdAt: 3, expiresAt: 33 }));
      assert.deepEqual((await store.offersOfAgent('ana')).map((row) => row.id), ['o1', 'o2']);
      assert.deepEqual(await store.offersOfSession('s1'), [offer]);
      assert.equal(await store.deleteOffer('o1'), true);
      assert.equal(await store.deleteOffer('o1'), false);
      assert.equal(await store.getOffer('o1'), undefined);
      assert.deepEqual(await store.offersOfSession('s1'), []);
    });

    it('Q1: keeps who passed on a session until when, renews a pass, and forgets a session\'s passes or an agent\'s of one reason', async () => {
      await store.putPass({ sessionId: 's1', agentId: 'ana', reason: 'missed', at: 10, until: 70 });
      await store.putPass({ sessionId: 's1', agentId: 'ben', reason: 'declined', at: 20, until: 80 });
      await store.putPass({ sessionId: 's2', agentId: 'ana', reason: 'declined', at: 30, until: 90 });
      await store.putPass({ sessionId: 's1', agentId: 'ana', reason: 'missed', at: 40, until: 100 });
      assert.deepEqual(await store.passesOfSession('s1'), [
        { sessionId: 's1', agentId: 'ben', reason: 'declined', at: 20, until: 80 },
        { sessionId: 's1', agentId: 'ana', reason: 'missed', at: 40, until: 100 },
      ]);
      await store.removePasses({ agentId: 'ana', reason: 'missed' });
      assert.deepEqual((await store.passesOfSession('s1')).map((pass) => pass.agentId), ['ben']);
      assert.deepEqual((await store.passesOfSession('s2')).map((pass) => pass.agentId), ['ana']);
      await store.removePasses({ sessionId: 's1' });
      assert.deepEqual(await store.passesOfSession('s1'), []);
      assert.equal((await store.passesOfSession('s2')).length, 1);
    });

    it('P8, P11: keeps presence and a history row per status, closed when the next one opens', async () => {
      const offline = initialPresence('ana', ['north'], 2, 1000);
      await store.putPresence(offline, true);
      const available = { ...offline, intent: 'available' as const, status: 'available' as const, reason: { source: 'agent' as const, cause: 'manual' as const, actor: 'ana', at: 2000 }, version: 1 };
      await store.putPresence(available, true);
      await store.putPresence({ ...available, capacity: { used: 1, total: 2 }, version: 2 }, false);
      assert.deepEqual((await store.getPresence('ana'))?.capacity, { used: 1, total: 2 });
      assert.equal(await store.getPresence('ben'), undefined);
      assert.deepEqual(
        (await store.presenceHistory({ from: 0, to: 5000 })).map((row) => [row.status, row.cause, row.startedAt, row.endedAt]),
        [['offline', 'default', 1000, 2000], ['available', 'manual', 2000, null]],
      );
      assert.equal((await store.presenceHistory({ from: 2500, to: 5000 })).length, 1);
    });

    it('M1: keeps maintenance windows in start order and deletes them once', async () => {
      await store.addWindow({ id: 'w2', startsAt: 500, endsAt: 600, message: 'later' }, 1);
      await store.addWindow({ id: 'w1', startsAt: 100, endsAt: 200, message: 'first' }, 1);
      assert.deepEqual((await store.windows()).map((window) => window.id), ['w1', 'w2']);
      assert.equal(await store.deleteWindow('w1'), true);
      assert.equal(await store.deleteWindow('w1'), false);
      await store.recordOptOut('b1', 's1', 'STOP', 5);
      await store.recordOptOut('b2', 's3', 'unsubscribe', 5);
      await store.recordOptOut('b1', 's2', 'STOP', 6);
      // S8: one row per browser: the first session and keyword, the latest time.
      assert.deepEqual(await store.optOuts(), [
        { browserId: 'b1', sessionId: 's1', keyword: 'STOP', at: 6 },
        { browserId: 'b2', sessionId: 's3', keyword: 'unsubscribe', at: 5 },
      ]);
    });

    it('C2: lists left messages newest first, open or handled, a page at a time, and marks one handled or open again', async () => {
      for (const at of [10, 20, 30]) await store.addOfflineMessage({ button: 'sales', name: 'Dana', email: 'dana@example.com', text: `Message ${at}`, at });
      const all = await store.listOfflineMessages({ status: 'all', limit: 10 });
      assert.deepEqual(all.map((message) => [message.text, message.handledAt, message.handledBy]), [['Message 30', null, null], ['Message 20', null, null], ['Message 10', null, null]]);
      assert.deepEqual(Object.keys(all[0]!).sort(), ['at', 'button', 'email', 'handledAt', 'handledBy', 'id', 'name', 'text']);
      const middle = all[1]!;
      assert.deepEqual(await store.markOfflineMessage(middle.id, { at: 40, by: 'admin' }), { ...middle, handledAt: 40, handledBy: 'admin' });
      assert.deepEqual((await store.listOfflineMessages({ status: 'open', limit: 10 })).map((message) => message.text), ['Message 30', 'Message 10']);
      assert.deepEqual((await store.listOfflineMessages({ status: 'handled', limit: 10 })).map((message) => message.text), ['Message 20']);
      assert.deepEqual((await store.listOfflineMessages({ status: 'all', limit: 1, before: all[0]!.id })).map((message) => message.text), ['Message 20']);
      assert.equal((await store.markOfflineMessage(middle.id, null))?.handledAt, null);
      assert.equal((await store.listOfflineMessages({ status: 'open', limit: 10 })).length, 3);
      assert.equal(await store.markOfflineMessage(999_999, { at: 1, by: 'admin' }), undefined);
    });

    it('I4: raises read receipts per session and reader, never lowers them, and read raises delivered', async () => {
      assert.deepEqual(await store.receiptsOf('s1'), { customer: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } });
      assert.deepEqual(await store.raiseReceipt('s1', 'agent', { delivered: 3, read: 0 }), { delivered: 3, read: 0, changed: true });
      assert.deepEqual(await store.raiseReceipt('s1', 'agent', { delivered: 2, read: 5 }), { delivered: 5, read: 5, changed: true });
      assert.deepEqual(await store.raiseReceipt('s1', 'agent', { delivered: 4, read: 4 }), { delivered: 5, read: 5, changed: false });
      await store.raiseReceipt('s1', 'customer', { delivered: 2, read: 1 });
      await store.raiseReceipt('s2', 'customer', { delivered: 9, read: 9 });
      assert.deepEqual(await store.receiptsOf('s1'), { customer: { delivered: 2, read: 1 }, agent: { delivered: 5, read: 5 } });
      const raced = await Promise.all([7, 9, 8, 6].map((read) => store.raiseReceipt('s3', 'agent', { delivered: 0, read })));
      assert.equal(raced.filter((raise) => raise.changed).length >= 1, true);
      assert.deepEqual((await store.receiptsOf('s3')).agent, { delivered: 9, read: 9 });
    });

    it('I3: keeps one rating per session (a later one replaces it) and lists a range newest first', async () => {
      await store.putRating({ sessionId: 's1', button: 'sales', agentId: 'ana', score: 2, comment: 'slow', at: 10 });
      await store.putRating({ sessionId: 's2', button: 'support', agentId: null, score: 5, comment: '', at: 20 });
      assert.equal(await store.putRating({ sessionId: 's1', button: 'sales', agentId: 'ana', score: 4, comment: 'fine after all', at: 30 }), true);
      assert.equal(await store.putRating({ sessionId: 's1', button: 'sales', agentId: 'ana', score: 4, comment: 'fine after all', at: 35 }), false);
      await store.putRating({ sessionId: 's3', button: 'sales', agentId: 'ben', score: 1, comment: '', at: 40 });
      assert.deepEqual(await store.ratings({ from: 0, to: 35, limit: 10 }), [
        { sessionId: 's1', button: 'sales', agentId: 'ana', score: 4, comment: 'fine after all', at: 30 },
        { sessionId: 's2', button: 'support', agentId: null, score: 5, comment: '', at: 20 },
      ]);
      assert.deepEqual((await store.ratings({ from: 0, to: 100, limit: 1 })).map((rating) => rating.sessionId), ['s3']);
    });

    it('D5: keeps webhook subscriptions and their deliveries; an outcome updates a delivery; deleting a subscription drops its log', async () => {
      const hook = { id: 'w1', url: 'https://hooks.example.com/parley', events: ['session.message', 'session.ended'], secret: 'whsec_0123456789abcdef', createdAt: 10 };
      await store.addWebhook(hook);
      await store.addWebhook({ ...hook, id: 'w2', url: 'http://10.0.0.5:8080/in', events: ['presence.changed'], createdAt: 20 });
      assert.deepEqual(await store.webhooks(), [hook, { ...hook, id: 'w2', url: 'http://10.0.0.5:8080/in', events: ['presence.changed'], createdAt: 20 }]);
      const delivery = (id: string, createdAt: number, webhookId = 'w1') => ({
        id, webhookId, event: 'session.message', body: `{"id":"${id}"}`, status: 'pending' as const, attempts: 0, createdAt, lastAttemptAt: null, lastResponse: null, lastError: null,
      });
      await store.addWebhookDelivery(delivery('d1', 100));
      await store.addWebhookDelivery(delivery('d2', 200));
      await store.addWebhookDelivery(delivery('d3', 300, 'w2'));
      await store.updateWebhookDelivery('d1', { status: 'pending', attempts: 1, lastAttemptAt: 150, lastResponse: 500, lastError: 'HTTP 500' });
      assert.deepEqual(await store.getWebhookDelivery('d1'), { ...delivery('d1', 100), attempts: 1, lastAttemptAt: 150, lastResponse: 500, lastError: 'HTTP 500' });
      await store.updateWebhookDelivery('d2', { status: 'failed', attempts: 3, lastAttemptAt: 250, lastResponse: null, lastError: 'connection refused' });
      assert.deepEqual((await store.webhookDeliveries('w1', 10)).map((row) => [row.id, row.status, row.attempts]), [['d2', 'failed', 3], ['d1', 'pending', 1]]);
      assert.deepEqual((await store.webhookDeliveries('w1', 1)).map((row) => row.id), ['d2']);
      assert.equal(await store.deleteWebhook('w1'), true);
      assert.equal(await store.deleteWebhook('w1'), false);
      assert.deepEqual((await store.webhooks()).map((row) => row.id), ['w2']);
      assert.equal(await store.getWebhookDelivery('d1'), undefined);
      assert.deepEqual((await store.webhookDeliveries('w2', 10)).map((row) => row.id), ['d3']);
    });

    it('keeps offline messages until the retention purge deletes the old ones', async () => {
      assert.equal(await store.oldestOfflineMessageAt(), undefined);
      for (const at of [50, 5, 20]) await store.addOfflineMessage({ button: 'sales', name: 'Dana', email: 'dana@example.com', text: `Call me ${at}`, at });
      assert.equal(await store.countOfflineMessages(), 3);
      assert.equal(await store.oldestOfflineMessageAt(), 5);
      await store.purgeOfflineMessages(20);
      assert.equal(await store.countOfflineMessages(), 1);
      assert.equal(await store.oldestOfflineMessageAt(), 50);
    });

    it('a transaction commits as one: a failure stores none of it, and work after commit runs only when it committed', async () => {
      const ran: string[] = [];
      await assert.rejects(
        store.transaction(async () => {
          await store.createSession(session('gone'));
          store.afterCommit(() => ran.push('rolled back'));
          throw new Error('bad input');
        }),
        /bad input/,
      );
      assert.equal(await store.getSession('gone'), undefined);
      await store.transaction(async () => {
        await store.createSession(session('kept'));
        // Nested: joins the outer transaction.
        await store.transaction(() => store.setMeta('inner', 'yes'));
        store.afterCommit(() => ran.push('committed'));
        assert.deepEqual(ran, []);
      });
      store.afterCommit(() => ran.push('no transaction: at once'));
      assert.deepEqual(ran, ['committed', 'no transaction: at once']);
      assert.equal(await store.getMeta('inner'), 'yes');
    });

    it('N1: a locked session changes one transaction at a time: the second sees what the first committed', async () => {
      await store.createSession(session('s1'));
      const first = latch();
      const locked = latch();
      const one = store.transaction(async () => {
        await store.lockSession('s1');
        locked.open();
        await first.wait;
        await store.updateSession('s1', { state: 'active', agentId: 'ana' });
      });
      await locked.wait;
      const two = store.transaction(async () => (await store.lockSession('s1'))?.agentId);
      first.open();
      await one;
      assert.equal(await two, 'ana');
    });

    it('N1: an agent and the routing pass are held by one transaction at a time', async () => {
      for (const hold of [() => store.lockAgent('ana'), () => store.lockRouting('north')]) {
        const order: string[] = [];
        const first = latch();
        const held = latch();
        const one = store.transaction(async () => {
          await hold();
          held.open();
          await first.wait;
          order.push('first');
        });
        await held.wait;
        const two = store.transaction(async () => {
          await hold();
          order.push('second');
        });
        first.open();
        await Promise.all([one, two]);
        assert.deepEqual(order, ['first', 'second']);
      }
    });

    it('N1: keeps the nodes that beat and the agent sockets each holds; a node past the bound is reaped once, with its sockets', async () => {
      assert.equal(await store.heartbeat('node-a', 1000), false);
      assert.equal(await store.heartbeat('node-a', 1500), true);
      await store.heartbeat('node-b', 1200);
      await store.addConnection({ id: 'c1', nodeId: 'node-a', agentId: 'ana', browserId: 'b1', openedAt: 1000 });
      await store.addConnection({ id: 'c2', nodeId: 'node-b', agentId: 'ana', browserId: 'b2', openedAt: 1100 });
      await store.addConnection({ id: 'c3', nodeId: 'node-b', agentId: 'ben', browserId: 'b3', openedAt: 1200 });
      await store.addConnection({ id: 'c3', nodeId: 'node-b', agentId: 'ben', browserId: 'b3', openedAt: 1200 });
      assert.deepEqual((await store.connectionsOfAgent('ana', 0)).map((connection) => connection.id), ['c1', 'c2']);
      assert.deepEqual(await store.connectedAgents(0), ['ana', 'ben']);
      // Node b last beat at 1200: not alive as of 1300, so its sockets do not count.
      assert.deepEqual((await store.connectionsOfAgent('ana', 1300)).map((connection) => connection.nodeId), ['node-a']);
      assert.deepEqual(await store.connectedAgents(1300), ['ana']);
      assert.deepEqual(await store.reapNodes(1300, 'node-b'), []);
      const reaped = await Promise.all([store.reapNodes(1300, 'node-a'), store.reapNodes(1300, 'node-a')]);
      assert.deepEqual(reaped.flat(), ['ana', 'ben']);
      assert.deepEqual(await store.connectedAgents(0), ['ana']);
      await store.removeConnection('c1');
      assert.deepEqual(await store.connectedAgents(0), []);
      assert.equal(await store.heartbeat('node-b', 2000), false);
    });

    it('I2: an attachment and its bytes are stored once per session and upload key; a retry gets the first back', async () => {
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
      const record = { id: 'att-1', sessionId: 's1', uploadKey: 'cmid-1', uploadedBy: 'customer', name: 'photo.png', type: 'image/png', size: bytes.length, createdAt: 1000 };
      assert.deepEqual(await store.addAttachment(record, bytes), record);
      const retried = await Promise.all([
        store.addAttachment({ ...record, id: 'att-2', createdAt: 2000 }, new Uint8Array([9])),
        store.addAttachment({ ...record, id: 'att-3', createdAt: 3000 }, new Uint8Array([9])),
      ]);
      assert.deepEqual(retried, [record, record]);
      assert.equal(await store.getAttachment('att-2'), undefined);
      assert.equal(await store.readAttachment('att-3'), undefined);
      assert.deepEqual(await store.getAttachment('att-1'), record);
      assert.deepEqual([...(await store.readAttachment('att-1'))!], [...bytes]);
      // The same key in another session is another upload.
      const other = await store.addAttachment({ ...record, id: 'att-4', sessionId: 's2' }, new Uint8Array([7]));
      assert.equal(other.id, 'att-4');
      assert.deepEqual([...(await store.readAttachment('att-4'))!], [7]);
      assert.equal(await store.getAttachment('nope'), undefined);
    });

    it('I2: attachments are kept until the retention purge deletes the old ones, bytes included', async () => {
      assert.equal(await store.oldestAttachmentAt(), undefined);
      const record = (id: string, createdAt: number) => ({ id, sessionId: 's1', uploadKey: id, uploadedBy: 'customer', name: `${id}.png`, type: 'image/png', size: 1, createdAt });
      for (const [id, at] of [['late', 50], ['early', 5], ['middle', 20]] as const) await store.addAttachment(record(id, at), new Uint8Array([1]));
      assert.equal(await store.oldestAttachmentAt(), 5);
      assert.equal(await store.purgeAttachments(20), 2);
      assert.equal(await store.getAttachment('early'), undefined);
      assert.equal(await store.readAttachment('middle'), undefined);
      assert.deepEqual([...(await store.readAttachment('late'))!], [1]);
      assert.equal(await store.oldestAttachmentAt(), 50);
      assert.equal(await store.purgeAttachments(20), 0);
    });

    it('D7: finds a customer by browser or verified user; erasing leaves tombstones in place, no files, rating, receipts or ids; the log keeps counts', async () => {
      const identity = { userId: 'user-7', email: 'Dana@Example.com', attributes: {} };
      await store.createSession(session('d1', { browserId: 'b-dana', state: 'ended', userId: 'user-7', identity, startId: 'st-1', createdAt: 10 }));
      await store.createSession(session('d2', { browserId: 'b-other', userId: 'user-7', state: 'ended', createdAt: 20 }));
      await store.createSession(session('keep', { browserId: 'b-keep', state: 'ended', createdAt: 30 }));
      for (const id of ['d1', 'keep']) {
        await store.appendEvent(id, message(`hello from ${id}`), 100, `cmid-${id}`);
        await store.appendEvent(id, { kind: 'state', state: 'ended', reason: 'agent' }, 110);
        await store.appendEvent(id, { kind: 'rating', score: 4, comment: `rated ${id}` }, 120);
        await store.addAttachment({ id: `file-${id}`, sessionId: id, uploadKey: `cmid-${id}`, uploadedBy: 'customer', name: 'a.png', type: 'image/png', size: 1, createdAt: 100 }, new Uint8Array([1]));
        await store.putRating({ sessionId: id, button: 'sales', agentId: 'ana', score: 4, comment: `rated ${id}`, at: 120 });
        await store.raiseReceipt(id, 'agent', { delivered: 1, read: 1 });
      }
      await store.addOfflineMessage({ button: 'sales', name: 'Dana', email: 'dana@example.com', text: 'call me', at: 5 });
      await store.addOfflineMessage({ button: 'sales', name: 'Kim', email: 'kim@example.com', text: 'keep me', at: 6 });
      await store.recordOptOut('b-dana', 'd1', 'STOP', 7);

      assert.deepEqual((await store.sessionsOfCustomer({ browserId: 'b-dana' })).map((found) => found.id), ['d1']);
      assert.deepEqual((await store.sessionsOfCustomer({ userId: 'user-7' })).map((found) => found.id), ['d1', 'd2']);
      assert.deepEqual((await store.attachmentsOfSession('d1')).map((file) => file.id), ['file-d1']);
      assert.equal((await store.ratingOfSession('d1'))?.comment, 'rated d1');
      assert.deepEqual((await store.offlineMessagesOfEmail('DANA@example.com')).map((left) => left.text), ['call me']);

      assert.deepEqual(await store.eraseSession('d1'), { messages: 1, attachments: 1, ratings: 1 });
      assert.deepEqual((await store.eventsAfter('d1', 0)).map((event) => [event.seq, event.event.kind]), [[1, 'erased'], [2, 'state'], [3, 'erased']]);
      assert.equal(await store.seqOfCmid('d1', 'cmid-d1'), 1);
      assert.deepEqual(await store.attachmentsOfSession('d1'), []);
      assert.equal(await store.getAttachment('file-d1'), undefined);
      assert.equal(await store.readAttachment('file-d1'), undefined);
      assert.equal(await store.ratingOfSession('d1'), undefined);
      assert.deepEqual(await store.receiptsOf('d1'), { customer: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } });
      const erased = (await store.getSession('d1'))!;
      assert.deepEqual([erased.browserId, erased.userId, erased.identity, erased.prechat, erased.startId, erased.lastSeq], ['', null, null, {}, null, 3]);
      assert.deepEqual((await store.sessionsOfCustomer({ browserId: 'b-dana' })).map((found) => found.id), []);
      assert.deepEqual((await store.sessionsOfCustomer({ userId: 'user-7' })).map((found) => found.id), ['d2']);
      assert.equal(await store.eraseOfflineMessagesOfEmail('dana@EXAMPLE.com'), 1);
      assert.equal(await store.eraseOptOut('b-dana'), true);
      assert.equal(await store.eraseOptOut('b-dana'), false);
      assert.deepEqual((await store.listOfflineMessages({ status: 'all', limit: 10 })).map((left) => left.text), ['keep me']);
      assert.deepEqual(await store.optOuts(), []);
      // The other customer's chat is untouched.
      assert.deepEqual((await store.eventsAfter('keep', 0)).map((event) => event.event.kind), ['message', 'state', 'rating']);
      assert.deepEqual([...(await store.readAttachment('file-keep'))!], [1]);

      const counts = { sessions: 1, messages: 1, attachments: 1, ratings: 1, offlineMessages: 1, optOuts: 1 };
      const first = await store.logErasure({ at: 200, actor: 'admin', subjectKind: 'browserId', subjectHash: 'abc', counts });
      await store.logErasure({ at: 300, actor: 'retention', subjectKind: 'retention', subjectHash: '', counts: { ...counts, sessions: 2 } });
      assert.deepEqual(first, { id: first.id, at: 200, actor: 'admin', subjectKind: 'browserId', subjectHash: 'abc', counts });
      assert.deepEqual((await store.erasures(10)).map((entry) => [entry.actor, entry.counts.sessions]), [['retention', 2], ['admin', 1]]);
      assert.equal((await store.erasures(1)).length, 1);
    });

    it('D7: the retention purge finds ended sessions by age (not those still holding work) and deletes everything under them', async () => {
      assert.equal(await store.oldestEndedSessionAt(), undefined);
      await store.createSession(session('old', { state: 'ended', updatedAt: 10 }));
      await store.createSession(session('held', { state: 'ended', updatedAt: 5 }));
      await store.putWork({ sessionId: 'held', agentId: 'ana', phase: 'wrap-up', since: 5 });
      await store.createSession(session('new', { state: 'ended', updatedAt: 50 }));
      await store.createSession(session('open', { state: 'active', updatedAt: 1 }));
      await store.appendEvent('old', message('bye'), 10);
      await store.addAttachment({ id: 'file-old', sessionId: 'old', uploadKey: 'k', uploadedBy: 'customer', name: 'a.png', type: 'image/png', size: 1, createdAt: 10 }, new Uint8Array([1]));
      await store.putRating({ sessionId: 'old', button: 'sales', agentId: null, score: 1, comment: 'x', at: 10 });
      assert.equal(await store.oldestEndedSessionAt(), 10);
      assert.deepEqual(await store.endedSessionsBefore(20, 10), ['old']);
      assert.deepEqual(await store.endedSessionsBefore(100, 1), ['old']);
      assert.deepEqual(await store.deleteSession('old'), { messages: 1, attachments: 1, ratings: 1 });
      assert.equal(await store.getSession('old'), undefined);
      assert.deepEqual(await store.eventsAfter('old', 0), []);
      assert.equal(await store.readAttachment('file-old'), undefined);
      assert.equal(await store.ratingOfSession('old'), undefined);
      assert.equal(await store.oldestEndedSessionAt(), 50);
      assert.deepEqual(await store.endedSessionsBefore(100, 10), ['new']);
    });

    it('M6: a probe is a write that changes nothing visible', async () => {
      await store.probe();
      await store.probe();
    });
  });
}
