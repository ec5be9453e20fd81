import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { LeftMessage } from '@parley/protocol';
import { ADMIN_TOKEN, startTestService, type TestService } from '../test-support/test-server.js';

describe('left messages for admins', () => {
  let service: TestService;
  afterEach(() => service.close());

  const leave = (text: string, name = 'Dana') =>
    fetch(`${service.server.url}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button: 'sales', name, email: `${name.toLowerCase()}@example.com`, text }),
    });

  it('C2: what a customer left is listed for admins, newest first; marked handled it leaves the open list; open again on request', async () => {
    service = await startTestService();
    assert.equal((await leave('Please call me about order A-1042')).status, 201);
    await service.advance(60_000);
    assert.equal((await leave('Do you ship to Norway?', 'Olu')).status, 201);
    const open = await service.admin('GET', '/admin/offline-messages');
    assert.equal(open.status, 200);
    const messages = open.body.messages as LeftMessage[];
    assert.deepEqual(messages.map((message) => [message.name, message.email, message.text, message.handledAt]), [
      ['Olu', 'olu@example.com', 'Do you ship to Norway?', null],
      ['Dana', 'dana@example.com', 'Please call me about order A-1042', null],
    ]);
    const handled = await service.admin('PUT', `/admin/offline-messages/${messages[1]!.id}/handled`, { handled: true });
    assert.deepEqual([handled.status, handled.body.handledAt, handled.body.handledBy], [200, service.clock.now(), 'admin']);
    assert.deepEqual(((await service.admin('GET', '/admin/offline-messages')).body.messages as LeftMessage[]).map((message) => message.name), ['Olu']);
    assert.deepEqual(((await service.admin('GET', '/admin/offline-messages?status=handled')).body.messages as LeftMessage[]).map((message) => message.name), ['Dana']);
    assert.equal(((await service.admin('GET', '/admin/offline-messages?status=all&limit=1')).body.messages as LeftMessage[]).length, 1);
    await service.admin('PUT', `/admin/offline-messages/${messages[1]!.id}/handled`, { handled: false });
    assert.equal(((await service.admin('GET', '/admin/offline-messages')).body.messages as LeftMessage[]).length, 2);
  });

  it('C2: exported as CSV (ISO times, a formula-looking cell made harmless)', async () => {
    service = await startTestService();
    await leave('=HYPERLINK("http://evil.example")');
    const response = await fetch(`${service.server.url}/admin/offline-messages?status=all&format=csv`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="left-messages-all.csv"/);
    const [header, row, end] = (await response.text()).split('\r\n');
    assert.equal(header, 'id,at,button,name,email,text,handledAt,handledBy');
    assert.match(row!, /^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,sales,Dana,dana@example\.com,"'=HYPERLINK\(""http:\/\/evil\.example""\)",,$/);
    assert.equal(end, '');
  });

  it('C2: only admins read or mark them; bad ids, queries and bodies are refused and change nothing', async () => {
    service = await startTestService();
    await leave('Hello');
    assert.equal((await fetch(`${service.server.url}/admin/offline-messages`)).status, 401);
    const put = await fetch(`${service.server.url}/admin/offline-messages/1/handled`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"handled":true}' });
    assert.equal(put.status, 401);
    assert.equal((await service.admin('GET', '/admin/offline-messages?status=maybe')).status, 400);
    assert.equal((await service.admin('GET', '/admin/offline-messages?limit=0')).status, 400);
    assert.equal((await service.admin('PUT', '/admin/offline-messages/abc/handled', { handled: true })).status, 400);
    assert.equal((await service.admin('PUT', '/admin/offline-messages/1/handled', { handled: 'yes' })).status, 400);
    assert.equal((await service.admin('PUT', '/admin/offline-messages/999/handled', { handled: true })).status, 404);
    assert.deepEqual(((await service.admin('GET', '/admin/offline-messages')).body.messages as LeftMessage[]).map((message) => message.handledAt), [null]);
  });
});
