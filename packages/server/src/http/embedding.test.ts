import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';
import { TEST_CONFIG } from '../test-support/test-server.js';

const SHOP = 'http://127.0.0.1:18080';

describe('embedding on other sites', () => {
  let running: ServiceProcess | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) await running.kill('SIGTERM');
    running = undefined;
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
      assert.match(response.headers.get('content-type') ?? '', /javascript/);
      assert.equal(response.headers.get('access-control-allow-origin'), '*', path);
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin', path);
    }
    // The demo site is not part of a real deployment.
    assert.equal((await fetch(`${started.url}/agent.html`)).status, 404);
  });
});
