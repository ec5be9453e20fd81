import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import type { AttachmentRef } from '@parley/protocol';
import { PNG } from '../test-support/attachment-files.js';
import { openChat, reachedState } from '../test-support/chat-setup.js';
import { ADMIN_TOKEN, startTestService, type TestService } from '../test-support/test-server.js';
import { createTestDatabase } from '../test-support/postgres.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import type { CustomerExport } from './privacy-service.js';

const SITE = { issuer: 'https://shop.example', audience: 'parley:shop', secret: 'site-identity-secret-0123456789-0123456789' };
const DAY = 24 * 3600_000;

/** A user token as the site's backend signs it (I1), on the service's fake time. */
function userToken(now: number, sub = 'user-42'): Promise<string> {
  return new SignJWT({ sub, name: 'Dana Scully', email: 'Dana@Example.com', attributes: { plan: 'pro' } })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(SITE.issuer)
    .setAudience(SITE.audience)
    .setIssuedAt(Math.floor(now / 1000) - 60)
    .setExpirationTime(Math.floor(now / 1000) + 600)
    .sign(new TextEncoder().encode(SITE.secret));
}

/** D7 against a real service over real sockets: a chat with everything a customer leaves behind, exported, then erased. */
describe('privacy', () => {
  let service: TestService;
  let folder: string;
  afterEach(() => service?.close());

  async function start(privacy: Record<string, unknown> = {}, options: Parameters<typeof startTestService>[1] = {}): Promise<void> {
    folder = await mkdtemp(join(tmpdir(), 'parley-privacy-test-'));
    service = await startTestService({ attachments: { folder }, identity: SITE, privacy } as never, options);
  }
  const request = async (method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) => {
    const response = await fetch(`${service.server.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string } } };
  };

  /** Dana (verified, browser-dana) chats with Ana: two messages, a photo, a receipt, an end, a rating; she also left a message and opted out. */
  async function danasChat() {
    // I1: Dana is signed in on the site: the chat is hers as a verified user too.
    const agent = await service.agent('ana');
    await agent.request({ type: 'presence', status: 'available' });
    const customer = await service.customer('browser-dana', { userToken: await userToken(service.clock.now()) });
    const started = await customer.request({ type: 'start', prechat: { name: 'Dana' } });
    const { sessionId, resumeToken } = started.data as { sessionId: string; resumeToken: string };
    const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await customer.next((frame) => frame.type === 'event' && frame.event.kind === 'agent-joined');
    await customer.request({ type: 'message', cmid: 'cmid-hello', text: 'My card ends 4242' });
    const upload = await fetch(`${service.server.url}/v1/attachments?key=cmid-photo&name=passport.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resumeToken}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(PNG),
    });
    const { attachment } = (await upload.json()) as { attachment: AttachmentRef };
    await customer.request({ type: 'message', cmid: 'cmid-photo', text: 'my passport', attachment: attachment.id });
    const link = (await (await fetch(`${service.server.url}/v1/attachments/${attachment.id}/link`, { headers: { authorization: `Bearer ${resumeToken}` } })).json()) as { url: string };
    const seen = await agent.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'message' && frame.event.text === 'my passport');
    await agent.request({ type: 'receipt', sessionId, delivered: seen.seq, read: seen.seq });
    await agent.request({ type: 'reply', sessionId, cmid: 'cmid-reply', text: 'Thanks Dana' });
    await customer.request({ type: 'end' });
    await reachedState(agent, sessionId, 'ended');
    await agent.request({ type: 'close-work', sessionId });
    await customer.request({ type: 'rate', score: 2, comment: 'Dana was kept waiting' });
    const { store } = service.server.service.context;
    await store.recordOptOut('browser-dana', sessionId, 'STOP', service.clock.now());
    const left = await fetch(`${service.server.url}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button: 'sales', name: 'Dana', email: 'dana@example.com', text: 'Call me about 4242' }),
    });
    assert.equal(left.status, 201);
    // Somebody else's chat (with Ben), which nothing here may touch.
    await agent.request({ type: 'presence', status: 'away' });
    const other = await openChat(service, { browserId: 'browser-kim', agentId: 'ben' });
    await other.customer.request({ type: 'message', cmid: 'cmid-kim', text: 'Kim here' });
    return { sessionId, resumeToken, attachment, link: `${service.server.url}${link.url}`, other };
  }

  it('D7: the export holds everything stored about the customer, by browser id or by verified user id, files included', async () => {
    await start();
    const { sessionId, attachment } = await danasChat();
    for (const query of ['browserId=browser-dana&email=dana@example.com', 'userId=user-42']) {
      const { status, body } = await request('GET', `/admin/privacy/export?${query}`);
      assert.equal(status, 200, query);
      const data = body as unknown as CustomerExport;
      assert.deepEqual(data.sessions.map((item) => item.session.id), [sessionId], query);
      const [chat] = data.sessions;
      assert.equal(chat!.session.userId, 'user-42');
      assert.equal(chat!.session.identity?.email, 'Dana@Example.com');
      assert.deepEqual(chat!.session.prechat, { name: 'Dana' });
      const texts = chat!.events.flatMap((item) => (item.event.kind === 'message' ? [item.event.text] : []));
      assert.deepEqual(texts.filter((text) => text !== ''), ['My card ends 4242', 'my passport', 'Thanks Dana']);
      assert.equal(chat!.rating?.comment, 'Dana was kept waiting');
      assert.ok(chat!.receipts.agent.read > 0);
      assert.deepEqual(chat!.attachments.map((file) => [file.id, file.name, Buffer.from(file.bytesBase64!, 'base64').equals(PNG)]), [[attachment.id, 'passport.png', true]]);
      assert.deepEqual(data.optOuts.map((optOut) => optOut.keyword), ['STOP']);
      // The left message is found by the address given, or by the verified identity's.
      assert.deepEqual(data.offlineMessages.map((left) => left.text), ['Call me about 4242'], query);
    }
    const nobody = await request('GET', '/admin/privacy/export?browserId=browser-nobody');
    assert.deepEqual([nobody.body.sessions, nobody.body.offlineMessages, nobody.body.optOuts], [[], [], []]);
  });

  it('D7: erasing leaves nothing readable: tombstones in the transcript, no file (row, bytes, link), rating, left message, opt-out or identity; the log says who, when and how much', async () => {
    await start();
    const { sessionId, resumeToken, attachment, link, other } = await danasChat();
    const { store } = service.server.service.context;
    assert.equal((await fetch(link)).status, 200);
    assert.equal((await readdir(folder)).length, 1);
    const before = await store.eventsAfter(sessionId, 0);

    const { status, body } = await request('POST', '/admin/privacy/erase', { userId: 'user-42' });
    assert.equal(status, 200);
    const erasure = body.erasure as { id: number; at: number; actor: string; subjectKind: string; subjectHash: string; counts: Record<string, number> };
    assert.deepEqual(erasure.counts, { sessions: 1, messages: 3, attachments: 1, ratings: 1, offlineMessages: 1, optOuts: 1 });
    assert.deepEqual([erasure.actor, erasure.at, erasure.subjectKind], ['admin', service.clock.now(), 'userId']);
    assert.equal(erasure.subjectHash, createHash('sha256').update('user-42').digest('hex'));

    // The transcript keeps its seqs; every message and the rating are tombstones.
    const after = await store.eventsAfter(sessionId, 0);
    assert.deepEqual(after.map((item) => item.seq), before.map((item) => item.seq));
    assert.deepEqual(
      after.filter((item, index) => ['message', 'rating'].includes(before[index]!.event.kind)).map((item) => item.event),
      before.filter((item) => ['message', 'rating'].includes(item.event.kind)).map(() => ({ kind: 'erased' })),
    );
    const everything = JSON.stringify({ after, session: await store.getSession(sessionId) });
    for (const secret of ['4242', 'passport', 'Dana', 'user-42', 'browser-dana', 'kept waiting', 'Example.com']) assert.doesNotMatch(everything, new RegExp(secret, 'i'), secret);
    // The transcript route shows no text either (or the resume token no longer opens it).
    const transcript = await fetch(`${service.server.url}/v1/transcript`, { headers: { authorization: `Bearer ${resumeToken}` } });
    assert.doesNotMatch(await transcript.text(), /4242|passport|Dana/);
    // The file: no row, no bytes, no file on disk, and the link handed out before opens nothing.
    assert.equal(await store.getAttachment(attachment.id), undefined);
    assert.equal(await store.readAttachment(attachment.id), undefined);
    assert.deepEqual(await readdir(folder), []);
    assert.ok([403, 404].includes((await fetch(link)).status));
    // Admin routes and store reads.
    assert.deepEqual((await service.admin('GET', '/admin/ratings')).body.ratings, []);
    assert.deepEqual((await service.admin('GET', '/admin/offline-messages?status=all')).body.messages, []);
    assert.deepEqual((await service.admin('GET', '/admin/opt-outs')).body.optOuts, []);
    assert.deepEqual(await store.receiptsOf(sessionId), { customer: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } });
    for (const query of ['userId=user-42', 'browserId=browser-dana&email=dana@example.com']) {
      const exported = (await request('GET', `/admin/privacy/export?${query}`)).body;
      assert.deepEqual([exported.sessions, exported.offlineMessages, exported.optOuts], [[], [], []], query);
    }
    // Kim's chat is untouched.
    assert.deepEqual((await store.eventsAfter(other.sessionId, 0)).filter((item) => item.event.kind === 'message').map((item) => (item.event as { text: string }).text), ['Kim here']);
    // The log, through the admin API.
    const log = await request('GET', '/admin/privacy/erasures');
    assert.deepEqual(log.body.erasures, [erasure]);
  });

  /** Every row of every table as text, but those of Kim's chat (whose pre-chat name the shared helper also sets to Dana). */
  async function assertErasedFromEveryTable(dumpAll: () => Promise<string[]>): Promise<void> {
    const { attachment, other } = await danasChat();
    const dump = async () => (await dumpAll()).filter((row) => !row.includes(other.sessionId)).join('\n');
    const secrets = ['4242', 'passport', 'Dana', 'user-42', 'browser-dana', 'kept waiting', 'example.com', attachment.id];
    const before = await dump();
    for (const secret of secrets) assert.match(before, new RegExp(secret, 'i'), secret);
    assert.equal((await request('POST', '/admin/privacy/erase', { browserId: 'browser-dana', emails: ['dana@example.com'] })).status, 200);
    const after = await dump();
    for (const secret of secrets) assert.doesNotMatch(after, new RegExp(secret, 'i'), secret);
    const { store } = service.server.service.context;
    assert.equal((await store.eventsAfter(other.sessionId, 0)).filter((item) => item.event.kind === 'message').length, 1);
  }

  it('D7: on SQLite, erasing leaves no table holding anything of the customer, and no file', async () => {
    const databasePath = join(await mkdtemp(join(tmpdir(), 'parley-privacy-db-')), 'parley.db');
    folder = await mkdtemp(join(tmpdir(), 'parley-privacy-test-'));
    service = await startTestService({ databasePath, attachments: { folder }, identity: SITE } as never);
    await assertErasedFromEveryTable(async () => {
      const db = new Database(databasePath, { readonly: true });
      try {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
        return tables.flatMap(({ name }) => db.prepare(`SELECT * FROM ${name}`).all().map((row) => JSON.stringify(row)));
      } finally {
        db.close();
      }
    });
    assert.deepEqual(await readdir(folder), []);
  });

  it('D7: on PostgreSQL, erasing leaves no table holding anything of the customer: no bytea, no text, no ids', async () => {
    const database = await createTestDatabase('privacy');
    try {
      const store = await openPostgresStore({ url: database.url });
      await start({}, { store });
      await assertErasedFromEveryTable(async () => {
        const tables = await store.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        const rows: string[] = [];
        for (const { tablename } of tables.rows) rows.push(...(await store.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${tablename} t`)).rows.map((found) => found.row));
        return rows;
      });
    } finally {
      await service.close();
      service = undefined as never;
      await database.drop();
    }
  });

  it('D7: no or a bad admin token is refused (401) and nothing happens; bad ids and open chats are typed errors that erase nothing', async () => {
    await start();
    const { sessionId } = await danasChat();
    const { store } = service.server.service.context;
    for (const token of [null, 'not-the-admin-token']) {
      assert.equal((await request('POST', '/admin/privacy/erase', { browserId: 'browser-dana' }, token)).status, 401);
      assert.equal((await request('GET', '/admin/privacy/export?browserId=browser-dana', undefined, token)).status, 401);
      assert.equal((await request('GET', '/admin/privacy/erasures', undefined, token)).status, 401);
    }
    for (const bad of [{}, { browserId: 'browser-dana', userId: 'user-42' }, { browserId: 'has spaces' }, { browserId: '' }, { userId: 'user-42', emails: ['not an address'] }, { userId: 'user-42', extra: 1 }]) {
      const refused = await request('POST', '/admin/privacy/erase', bad);
      assert.deepEqual([refused.status, refused.body.error?.code], [400, 'bad_request'], JSON.stringify(bad));
    }
    assert.equal((await request('GET', '/admin/privacy/export?browserId=a/b')).status, 400);
    assert.equal((await request('GET', '/admin/privacy/export')).status, 400);
    // Kim's chat is open: refused with session_open, nothing erased.
    const open = await request('POST', '/admin/privacy/erase', { browserId: 'browser-kim' });
    assert.deepEqual([open.status, open.body.error?.code], [409, 'session_open']);
    assert.equal((await store.eventsAfter(sessionId, 0)).filter((item) => item.event.kind === 'erased').length, 0);
    assert.equal((await store.ratings({ from: 0, to: Number.MAX_SAFE_INTEGER, limit: 10 })).length, 1);
    assert.deepEqual((await request('GET', '/admin/privacy/erasures')).body.erasures, []);
  });

  it('D7: with privacy.retentionDays, ended chats are deleted on the durable deadline (fake clock), files included, and the purge is logged', async () => {
    await start({ retentionDays: 2 });
    const { sessionId, attachment, other } = await danasChat();
    const { store } = service.server.service.context;
    await service.advance(DAY);
    assert.ok(await store.getSession(sessionId), 'kept within retention');
    await service.advance(DAY + 60_000);
    assert.equal(await store.getSession(sessionId), undefined);
    assert.deepEqual(await store.eventsAfter(sessionId, 0), []);
    assert.equal(await store.readAttachment(attachment.id), undefined);
    assert.deepEqual(await readdir(folder), []);
    assert.deepEqual((await service.admin('GET', '/admin/ratings')).body.ratings, []);
    assert.ok(await store.getSession(other.sessionId), 'a chat that ended later is kept until its own time');
    const log = (await request('GET', '/admin/privacy/erasures')).body.erasures as Array<{ actor: string; counts: { sessions: number; attachments: number } }>;
    assert.deepEqual(log.map((entry) => [entry.actor, entry.counts.sessions, entry.counts.attachments]), [['retention', 1, 1]]);
  });

  it('D7: without privacy.retentionDays (the default) ended chats are kept', async () => {
    await start();
    const { sessionId } = await danasChat();
    await service.advance(3650 * DAY);
    assert.ok(await service.server.service.context.store.getSession(sessionId));
    assert.deepEqual((await request('GET', '/admin/privacy/erasures')).body.erasures, []);
  });
});
