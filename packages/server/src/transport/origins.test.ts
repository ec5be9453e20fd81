import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';

/** GET with exactly these headers (Host included, which fetch does not let a caller set). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
    })
      .on('error', reject)
      .end();
  });
}

describe('origins and hosts (a real process)', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.kill('SIGKILL');
    service = undefined;
  });

  /** What a customer hello with this Origin (and Host) gets: `welcome`, or the error code. */
  async function customerHello(origin: string, host?: string): Promise<string> {
    const client = await TestClient.connect(service!.wsUrl, undefined, { origin, ...(host ? { host } : {}) });
    const answer = client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
    client.send({ type: 'hello', v: 1, role: 'customer', browserId: `b-${Math.random()}`, button: 'sales' });
    const frame = await answer;
    client.socket.terminate();
    return frame.type === 'welcome' ? 'welcome' : String(frame.code);
  }

  it("compares whole origins, scheme and port included, with the service's own, and never trusts the Host header", async () => {
    service = await ServiceProcess.start(await ServiceProcess.configFile());
    const { port } = new URL(service.url);
    assert.equal(await customerHello(`http://127.0.0.1:${port}`), 'welcome');
    assert.equal(await customerHello(`http://localhost:${port}`), 'welcome');
    for (const origin of [`https://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`, 'null']) {
      assert.equal(await customerHello(origin), 'forbidden', origin);
    }
    // A page of evil.example whose name points at this service: the Host header matches its origin, which proves nothing.
    assert.equal(await customerHello(`http://evil.example:${port}`, `evil.example:${port}`), 'forbidden');
    const cors = await get(`${service.url}/v1/availability?button=sales`, { origin: `https://127.0.0.1:${port}` });
    assert.equal(cors.headers['access-control-allow-origin'], undefined);
  });

  it('with publicUrl, the own origin is exactly that of publicUrl', async () => {
    service = await ServiceProcess.start(await ServiceProcess.configFile({ publicUrl: 'https://chat.example.com' }));
    const allowed = await get(`${service.url}/v1/availability?button=sales`, { origin: 'https://chat.example.com' });
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://chat.example.com');
    for (const origin of ['http://chat.example.com', 'https://chat.example.com:8443', service.url]) {
      const refused = await get(`${service.url}/v1/availability?button=sales`, { origin });
      assert.equal(refused.headers['access-control-allow-origin'], undefined, origin);
    }
    assert.equal(await customerHello('https://chat.example.com'), 'welcome');
    assert.equal(await customerHello(service.url), 'forbidden');
  });

  it('the demo routes answer only loopback host names: a DNS-rebinding page gets 403', async () => {
    service = await ServiceProcess.start(undefined, { args: ['--demo'], env: { PARLEY_DB: join(await mkdtemp(join(tmpdir(), 'parley-hosts-')), 'parley.db') } });
    const { port } = new URL(service.url);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) assert.equal((await get(`${service.url}/demo/agents`, { host })).status, 200, host);
    for (const path of ['/demo/agents', '/demo/admin-token', '/demo/agent-token?agent=ana']) {
      assert.equal((await get(`${service.url}${path}`, { host: `rebind.evil.example:${port}` })).status, 403, path);
    }
  });
});
