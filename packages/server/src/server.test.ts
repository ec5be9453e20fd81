import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig, silentLogger, startServer, type RunningServer } from '@parley/server';
import { TEST_CONFIG } from './test-support/test-server.js';

describe('HTTP server', () => {
  let server: RunningServer;

  before(async () => {
    const site = await mkdtemp(join(tmpdir(), 'parley-site-'));
    await writeFile(join(site, 'index.html'), '<h1>shop</h1>');
    server = await startServer({ config: parseConfig(TEST_CONFIG), log: silentLogger, staticMounts: [{ prefix: '/', directory: site }] });
  });

  after(() => server.close());

  it('answers the health check', async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true, starting: false, draining: false, store: 'ok' });
  });

  it('serves the mounted site', async () => {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await response.text(), '<h1>shop</h1>');
  });

  it('refuses paths that leave the mounted folder with a typed 404', async () => {
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/%E0%A4%A', '/missing.html']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found');
    }
  });
});
