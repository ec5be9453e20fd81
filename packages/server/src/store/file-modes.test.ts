import assert from 'node:assert/strict';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { TEST_CONFIG } from '../test-support/test-server.js';

describe('secrets at rest', () => {
  it('the service creates its database folder 0700 and its database, WAL and shared-memory files 0600', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-modes-'));
    const folder = join(root, 'data', 'parley');
    const file = join(root, 'parley.json');
    // No configured secret: the service generates one and keeps it in the database.
    const { secret: _secret, ...config } = TEST_CONFIG;
    await writeFile(file, JSON.stringify({ ...config, databasePath: join(folder, 'parley.db') }));
    const service = await ServiceProcess.start(file);
    try {
      // A chat makes sure the WAL has been written.
      const customer = await TestClient.connect(service.wsUrl, { role: 'customer', browserId: 'browser-1', button: 'sales' });
      await customer.close();
      const mode = async (path: string) => (await stat(path)).mode & 0o777;
      assert.equal((await mode(folder)).toString(8), '700');
      assert.equal((await mode(join(root, 'data'))).toString(8), '700');
      for (const name of ['parley.db', 'parley.db-wal', 'parley.db-shm']) assert.equal((await mode(join(folder, name))).toString(8), '600', name);
    } finally {
      await service.kill('SIGKILL');
    }
  });
});
