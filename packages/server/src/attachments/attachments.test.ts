import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AttachmentRef } from '@parley/protocol';
import { ELF, PDF, PNG, SVG_WITH_SCRIPT, WINDOWS_EXE } from '../test-support/attachment-files.js';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { testAgentToken } from '../test-support/test-server.js';

interface Chat {
  customer: TestClient;
  sessionId: string;
  resumeToken: string;
}

/** I2 against a real service process (`parley-server`, test mode): uploads, links and the files they open. */
describe('attachments', () => {
  let service: ServiceProcess;
  let folder: string;
  let agent: TestClient;
  let agentToken: string;
  let chats = 0;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'parley-attachments-test-'));
    service = await ServiceProcess.start(await ServiceProcess.configFile({ attachments: { folder, linkSeconds: 60, uploadsPerChat: 5, uploadWindowMinutes: 10, keepDays: 1 }, agents: [{ id: 'ana', name: 'Ana', offices: ['north', 'south'], capacity: 20 }, { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1 }] }));
    agentToken = await testAgentToken('ana');
    agent = await TestClient.connect(service.wsUrl, { role: 'agent', browserId: 'browser-ana', token: agentToken });
    await agent.request({ type: 'presence', status: 'available' });
  });
  after(async () => {
    agent.socket.terminate();
    await service.kill('SIGKILL');
  });

  /** A customer in an Active chat with Ana. */
  async function openChat(): Promise<Chat> {
    const customer = await TestClient.connect(service.wsUrl, { role: 'customer', browserId: `browser-${++chats}`, button: 'sales' });
    const started = await customer.request({ type: 'start', prechat: { name: `Customer ${chats}` } });
    const { sessionId, resumeToken } = started.data as { sessionId: string; resumeToken: string };
    const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await customer.next((frame) => frame.type === 'event' && frame.event.kind === 'agent-joined');
    return { customer, sessionId, resumeToken };
  }

  const upload = async (token: string, bytes: Buffer, query: Record<string, string>) => {
    const response = await fetch(`${service.url}/v1/attachments?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    return { status: response.status, body: (await response.json()) as { attachment: AttachmentRef; error: { code: string; message: string } } };
  };
  const link = async (token: string, attachmentId: string, session?: string) => {
    const response = await fetch(`${service.url}/v1/attachments/${attachmentId}/link${session ? `?session=${session}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { url: string; expiresAt: number; error: { code: string } } };
  };
  const storedFiles = async () => (await readdir(folder)).length;

  it('I2: a customer sends an image: stored once though the upload is retried, the message carries it, both sides read it inline through a signed link', async () => {
    const { customer, sessionId, resumeToken } = await openChat();
    const before = await storedFiles();
    const first = await upload(resumeToken, PNG, { key: 'cmid-photo-1', name: 'photo.png' });
    assert.equal(first.status, 201);
    assert.deepEqual({ ...first.body.attachment, id: 'x' }, { id: 'x', name: 'photo.png', type: 'image/png', size: PNG.length });
    // The answer was lost: the client uploads again with the same key.
    const again = await upload(resumeToken, PNG, { key: 'cmid-photo-1', name: 'photo.png' });
    assert.deepEqual([again.status, again.body.attachment], [201, first.body.attachment]);
    assert.equal(await storedFiles(), before + 1);

    const ack = await customer.request({ type: 'message', cmid: 'cmid-photo-1', attachment: first.body.attachment.id });
    assert.equal(ack.type, 'ack');
    const seen = await agent.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'message');
    assert.deepEqual((seen.event as { attachment: AttachmentRef }).attachment, first.body.attachment);
    // The message re-sent after a reconnect lands once.
    const resent = await customer.request({ type: 'message', cmid: 'cmid-photo-1', attachment: first.body.attachment.id });
    assert.deepEqual([resent.type, resent.cmid, resent.seq], ['ack', 'cmid-photo-1', ack.seq]);

    for (const [token, session] of [[resumeToken, undefined], [agentToken, sessionId]] as const) {
      const signed = await link(token, first.body.attachment.id, session);
      assert.equal(signed.status, 200);
      const file = await fetch(`${service.url}${signed.body.url}`);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.match(file.headers.get('content-disposition') ?? '', /^inline; filename="photo.png"/);
      assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
    }
  });

  it('I2: an executable renamed .png is refused for what it is, whatever its name; nothing is stored', async () => {
    const { resumeToken } = await openChat();
    const before = await storedFiles();
    for (const [bytes, type] of [[ELF, 'application/x-elf'], [WINDOWS_EXE, 'application/x-msdownload']] as const) {
      const refused = await upload(resumeToken, bytes, { key: `cmid-exe-${type.length}`, name: 'cute-cat.png' });
      assert.equal(refused.status, 415);
      assert.equal(refused.body.error.code, 'unsupported_type');
      assert.match(refused.body.error.message, new RegExp(type.replace('.', '\\.')));
    }
    assert.equal(await storedFiles(), before);
    // The declared content-type says nothing either: the bytes decide.
    const declared = await fetch(`${service.url}/v1/attachments?key=cmid-declared&name=cat.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resumeToken}`, 'content-type': 'image/png' },
      body: new Uint8Array(ELF),
    });
    assert.equal(declared.status, 415);
    assert.equal(await storedFiles(), before);
  });

  it('I2: an SVG with script is never served inline: refused at upload (it cannot be allowed), a PDF is served as a download', async () => {
    const { customer, resumeToken } = await openChat();
    const before = await storedFiles();
    const svg = await upload(resumeToken, SVG_WITH_SCRIPT, { key: 'cmid-svg', name: 'logo.svg' });
    assert.deepEqual([svg.status, svg.body.error.code], [415, 'unsupported_type']);
    assert.equal(await storedFiles(), before);
    const refusedMessage = await customer.request({ type: 'message', cmid: 'cmid-svg', attachment: 'any-id' });
    assert.deepEqual([refusedMessage.type, refusedMessage.code], ['error', 'not_found']);

    const pdf = await upload(resumeToken, PDF, { key: 'cmid-pdf', name: `invoice "A-1" (Dana's).pdf` });
    assert.equal(pdf.status, 201);
    const file = await fetch(`${service.url}${(await link(resumeToken, pdf.body.attachment.id)).body.url}`);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment; filename="invoice _A-1_ \(Dana's\).pdf"; filename\*=UTF-8''invoice%20%22A-1%22%20%28Dana%27s%29\.pdf$/);
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(file.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  });

  it('I2: a file over the size limit (10 MB by default) is refused with a clear error and nothing is stored', async () => {
    const { resumeToken } = await openChat();
    const before = await storedFiles();
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024, 1)]);
    const refused = await upload(resumeToken, big, { key: 'cmid-big', name: 'huge.png' });
    assert.equal(refused.status, 413);
    assert.equal(refused.body.error.code, 'too_large');
    assert.match(refused.body.error.message, /files can be at most 10 MB/);
    assert.equal(await storedFiles(), before);
    // Nothing was kept under the key: the same key takes a file that fits.
    const fits = await upload(resumeToken, PNG, { key: 'cmid-big', name: 'small.png' });
    assert.deepEqual([fits.status, fits.body.attachment.size], [201, PNG.length]);
  });

  it("I2: a link or an attachment id of another session is refused: another customer's token, another session's link, an agent not on the chat", async () => {
    const a = await openChat();
    const b = await openChat();
    const own = (await upload(a.resumeToken, PNG, { key: 'cmid-a', name: 'a.png' })).body.attachment;
    const theirs = (await upload(b.resumeToken, PNG, { key: 'cmid-b', name: 'b.png' })).body.attachment;
    // B's customer cannot have a link to A's file, nor put it in a message.
    assert.equal((await link(b.resumeToken, own.id)).status, 404);
    const borrowed = await b.customer.request({ type: 'message', cmid: 'cmid-borrow', attachment: own.id });
    assert.deepEqual([borrowed.type, borrowed.code], ['error', 'not_found']);
    // A link signed for B's session opens only B's file: pointed at A's file, or at A's session, it is refused.
    const bLink = new URL((await link(b.resumeToken, theirs.id)).body.url, service.url);
    const otherFile = new URL(bLink.href.replace(theirs.id, own.id));
    assert.equal((await fetch(otherFile)).status, 403);
    const otherSession = new URL(bLink);
    otherSession.searchParams.set('session', a.sessionId);
    assert.equal((await fetch(otherSession)).status, 403);
    assert.equal((await fetch(bLink)).status, 200);
    // Ben works on neither chat.
    const benToken = await testAgentToken('ben');
    assert.equal((await link(benToken, own.id, a.sessionId)).status, 403);
    assert.equal((await upload(benToken, PNG, { key: 'cmid-ben', name: 'ben.png', session: a.sessionId })).status, 403);
    // No token, no link.
    assert.equal((await fetch(`${service.url}/v1/attachments/${own.id}/link`)).status, 401);
  });

  it('I2: a link stops working when it expires; a fresh one works', async () => {
    const { resumeToken } = await openChat();
    const { attachment } = (await upload(resumeToken, PNG, { key: 'cmid-expiring', name: 'photo.png' })).body;
    const signed = await link(resumeToken, attachment.id);
    assert.equal((await fetch(`${service.url}${signed.body.url}`)).status, 200);
    await service.advance(61_000);
    const expired = await fetch(`${service.url}${signed.body.url}`);
    assert.equal(expired.status, 403);
    assert.match(((await expired.json()) as { error: { message: string } }).error.message, /expired/);
    assert.equal((await fetch(`${service.url}${(await link(resumeToken, attachment.id)).body.url}`)).status, 200);
  });

  it('I2: uploads per chat are limited (5 per 10 minutes here): past it, 429 and nothing stored; the next window takes them again', async () => {
    const { resumeToken } = await openChat();
    for (let index = 1; index <= 5; index++) assert.equal((await upload(resumeToken, PNG, { key: `cmid-many-${index}`, name: 'many.png' })).status, 201);
    const before = await storedFiles();
    const refused = await upload(resumeToken, PNG, { key: 'cmid-many-6', name: 'many.png' });
    assert.deepEqual([refused.status, refused.body.error.code], [429, 'rate_limited']);
    assert.match(refused.body.error.message, /at most 5 per 10 minutes/);
    assert.equal(await storedFiles(), before);
    await service.advance(10 * 60_000);
    assert.equal((await upload(resumeToken, PNG, { key: 'cmid-many-6', name: 'many.png' })).status, 201);
  });

  it('I2: bad input is refused with a clear error and stores nothing: frames, queries, an empty file, an ended chat', async () => {
    const { customer, resumeToken } = await openChat();
    const before = await storedFiles();
    const neither = await customer.request({ type: 'message', cmid: 'cmid-nothing' });
    assert.deepEqual([neither.type, neither.code], ['error', 'bad_frame']);
    assert.match(String(neither.message), /a message needs text or an attachment/);
    assert.deepEqual([(await customer.request({ type: 'message', cmid: 'cmid-bad', attachment: '../etc/passwd' })).code], ['bad_frame']);
    assert.deepEqual([(await customer.request({ type: 'message', cmid: 'cmid-blank', text: '', attachment: 'x' })).code], ['bad_frame']);
    for (const query of [{ name: 'no-key.png' }, { key: 'cmid-noname' }, { key: 'cmid-long', name: 'x'.repeat(201) }, { key: 'bad key', name: 'a.png' }]) {
      const refused = await upload(resumeToken, PNG, query as Record<string, string>);
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'bad_request'], JSON.stringify(query));
    }
    const empty = await upload(resumeToken, Buffer.alloc(0), { key: 'cmid-empty', name: 'empty.png' });
    assert.deepEqual([empty.status, empty.body.error.message], [400, 'The file is empty.']);
    const json = await fetch(`${service.url}/v1/attachments?key=cmid-json&name=a.png`, { method: 'POST', headers: { authorization: `Bearer ${resumeToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 415);
    assert.equal(await storedFiles(), before);
    await customer.request({ type: 'end' });
    const ended = await upload(resumeToken, PNG, { key: 'cmid-ended', name: 'late.png' });
    assert.deepEqual([ended.status, ended.body.error.code], [409, 'session_ended']);
    assert.equal(await storedFiles(), before);
  });

  it('I2: the agent sends a file in a reply; the customer gets it in the message', async () => {
    const { customer, sessionId, resumeToken } = await openChat();
    const uploaded = await upload(agentToken, PDF, { key: 'cmid-agent-pdf', name: 'manual.pdf', session: sessionId });
    assert.equal(uploaded.status, 201);
    const ack = await agent.request({ type: 'reply', sessionId, cmid: 'cmid-agent-pdf', text: 'Here is the manual', attachment: uploaded.body.attachment.id });
    assert.equal(ack.type, 'ack');
    const seen = await customer.next((frame) => frame.type === 'event' && frame.event.kind === 'message' && frame.event.from === 'agent');
    assert.deepEqual((seen.event as { attachment: AttachmentRef; text: string }).attachment, uploaded.body.attachment);
    assert.equal((await link(resumeToken, uploaded.body.attachment.id)).status, 200);
  });

  // Last: it moves business time by a day, past the agent's idle timeout.
  it('I2: files are deleted keepDays after they were sent (1 here): the file is gone and no link to it is given', async () => {
    const { resumeToken } = await openChat();
    const { attachment } = (await upload(resumeToken, PNG, { key: 'cmid-old', name: 'old.png' })).body;
    const before = await storedFiles();
    await service.advance(23 * 3600_000);
    assert.equal((await link(resumeToken, attachment.id)).status, 200);
    await service.advance(2 * 3600_000);
    assert.equal((await link(resumeToken, attachment.id)).status, 404);
    assert.ok((await storedFiles()) < before);
  });
});
