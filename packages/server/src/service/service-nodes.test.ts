import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeClock } from '../clock/fake-clock.js';
import { parseConfig } from '../config/load-config.js';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../test-support/postgres.js';
import { TEST_CONFIG } from '../test-support/test-server.js';
import { silentLogger } from './logger.js';
import { createParleyService, type ParleyService } from './parley-service.js';

const NODES = 5;

describe('N1: nodes starting together', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let stores: PostgresStore[] = [];
  let services: ParleyService[] = [];
  afterEach(async () => {
    for (const service of services) service.stop();
    for (const store of stores) await store.pool.end();
    await database.drop();
  });

  it('N1: nodes starting at once on an empty database agree on one epoch and one generated secret', async () => {
    database = await createTestDatabase('start');
    const { secret: _configured, ...withoutSecret } = TEST_CONFIG;
    const config = parseConfig(withoutSecret);
    stores = await Promise.all(Array.from({ length: NODES }, () => openPostgresStore({ url: database.url, poolSize: 4 })));
    const clock = new FakeClock();
    services = await Promise.all(stores.map((store) => createParleyService({ config, store, clock, log: silentLogger })));
    assert.equal(new Set(services.map((service) => service.epoch)).size, 1, 'one epoch');
    assert.equal(new Set(services.map((service) => service.context.config.secret)).size, 1, 'one secret: a token one node signs is valid on every other');
    assert.equal(await stores[0]!.getMeta('epoch'), services[0]!.epoch);
  });
});
