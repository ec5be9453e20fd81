import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';
import { startTestService, TEST_CONFIG, type TestService } from '../test-support/test-server.js';

const SHOP = 'http://127.0.0.1:18080';

describe('embedding on other sites', () => {
  let service: TestService | undefined;
  let running: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.close();
    if (running && running.child.exitCode === null && running.child.signalCode === null) await running.kill('SIGTERM');
    service = running = undefined;
  });

  it('C1: every deployment (not only the demo) serves the script-tag bundles to pages of any origin, the lazily loaded panel included', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-embed-'));
    const file = join(folder, 'parley.json');
    await writeFile(file, JSON.stringify({ ...TEST_CONFIG, databasePath: join(folder, 'parley.db'), allowedOrigins: [SHOP] }));
    const started = await ServiceProcess.start(file);
    running = started;
    for (const path of ['/widget/parley-chat.js', '/widget/parley-chat-panel.js', '/agent-badge/parley-agent-badge.js']) {
      const response: Response = await fetch(`${started.url}${path}`, { headers: { origin: 'https://any-shop.example' } });
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(response.headers.get('access-control-allow-origin'), '*', path);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin', path);
    }
    // The demo site is not part of a real deployment.
    assert.equal((await fetch(`${started.url}/agent.html`)).status, 404);
  });

  it('C2: a page whose origin is not allowed reads a clear refusal (403, readable by that page), not "offline"', async () => {
    service = await startTestService({ allowedOrigins: [SHOP] });
    const refused = await fetch(`${service.server.url}/v1/availability?button=sales`, { headers: { origin: 'https://elsewhere.example' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://elsewhere.example');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'forbidden');
    assert.match(body.error.message, /https:\/\/elsewhere\.example/);
    const allowed = await fetch(`${service.server.url}/v1/availability?button=sales`, { headers: { origin: SHOP } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), SHOP);
    // No Origin header: not a page (the SDK in Node, a health check).
    assert.equal((await fetch(`${service.server.url}/v1/availability?button=sales`)).status, 200);
  });
});
