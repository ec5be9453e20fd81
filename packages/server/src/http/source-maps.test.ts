import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';

/** The demo (`--demo`, which serves the built bundles) in a real process, on a database of its own. */
async function demo(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'parley-maps-'));
  return ServiceProcess.start(undefined, { args: ['--demo'], env: { PARLEY_DB: join(folder, 'parley.db'), ...env } });
}

describe('what the public side shows (a real process)', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.kill('SIGKILL');
    service = undefined;
  });

  it('serves the bundles but not their source maps, unless http.serveSourceMaps is set (PARLEY_SERVE_SOURCE_MAPS)', async () => {
    service = await demo();
    const bundle = await fetch(`${service.url}/widget/index.js`);
    assert.equal(bundle.status, 200, 'the widget is built (npm run build)');
    const map = await fetch(`${service.url}/widget/index.js.map`);
    assert.equal(map.status, 404);
    assert.equal(((await map.json()) as { error: { code: string } }).error.code, 'not_found');
    await service.kill('SIGKILL');

    service = await demo({ PARLEY_SERVE_SOURCE_MAPS: '1' });
    const served = await fetch(`${service.url}/widget/index.js.map`);
    assert.equal(served.status, 200);
    assert.ok(((await served.json()) as { sources: string[] }).sources.length > 0);
  });
});
