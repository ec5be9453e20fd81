import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, NEXT_VERSION_MIGRATION, type TestDatabase } from '../../test-support/postgres.js';
import { migratePostgres } from './postgres-migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

describe('PostgreSQL migrations', () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  const pool = () => {
    const created = new pg.Pool({ connectionString: database.url, max: 2 });
    created.on('error', () => {});
    pools.push(created);
    return created;
  };
  beforeEach(async () => {
    database = await createTestDatabase('migrate');
    pools = [];
  });
  afterEach(async () => {
    for (const created of pools) await created.end();
    await database.drop();
  });

  it('N2: nodes starting together apply each migration once, one after another, under the advisory lock', async () => {
    await Promise.all(Array.from({ length: 5 }, () => migratePostgres(pool())));
    const { rows } = await pool().query<{ version: number }>('SELECT version FROM parley_schema ORDER BY version');
    assert.deepEqual(rows.map((row) => row.version), POSTGRES_MIGRATIONS.map((_, index) => index + 1));
  });

  it('N2: a node runs on a database one version ahead of it (a newer node migrated it), and refuses one further ahead', async () => {
    await migratePostgres(pool(), [...POSTGRES_MIGRATIONS, NEXT_VERSION_MIGRATION]);
    await migratePostgres(pool());
    await migratePostgres(pool(), [...POSTGRES_MIGRATIONS, NEXT_VERSION_MIGRATION, 'CREATE TABLE later (id TEXT)']);
    await assert.rejects(migratePostgres(pool()), /schema is version \d+; this version of Parley knows \d+ and runs only one version behind/);
  });

  it('N2: every migration is additive, so the version before it keeps working during a rolling deploy', () => {
    for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
      const destructive = /\b(DROP|RENAME|TRUNCATE)\b|ALTER\s+COLUMN|ALTER\s+TABLE\s+\w+\s+ADD\s+COLUMN\s+\w+\s+\w+[^,;]*NOT\s+NULL(?![^,;]*DEFAULT)/i.exec(sql);
      assert.equal(destructive, null, `migration ${index + 1} is not additive: ${destructive?.[0]}`);
    }
  });
});
