import { after } from 'node:test';
import pg from 'pg';
import { createTestDatabase, NEXT_VERSION_MIGRATION, type TestDatabase } from '../../test-support/postgres.js';
import { storeContract } from '../store-contract.js';
import { migratePostgres } from './postgres-migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { openPostgresStore } from './postgres-store.js';

/** One database per schema for the file; each test starts from empty tables. */
function contractOn(label: string, migrations: readonly string[]): void {
  let database: Promise<TestDatabase> | undefined;
  after(async () => (await database)?.drop());
  storeContract(label, async () => {
    database ??= createTestDatabase('store').then(async (created) => {
      const pool = new pg.Pool({ connectionString: created.url });
      pool.on('error', () => {});
      await migratePostgres(pool, migrations);
      await pool.end();
      return created;
    });
    const { url } = await database;
    const store = await openPostgresStore({ url });
    return {
      store,
      close: async () => {
        const tables = await store.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'parley_schema'");
        await store.pool.query(`TRUNCATE ${tables.rows.map((row) => row.tablename).join(', ')} RESTART IDENTITY`);
        await store.pool.end();
      },
    };
  });
}

contractOn('PostgreSQL', POSTGRES_MIGRATIONS);
contractOn('PostgreSQL migrated by the next version (N2: old and new nodes side by side)', [...POSTGRES_MIGRATIONS, NEXT_VERSION_MIGRATION]);
