import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { typedError } from './postgres-errors.js';

/** Held (session-level) while migrating: nodes that start together migrate one after another. */
const MIGRATION_LOCK = 0x7061726c; // "parl"

/**
 * Applies the migrations this version has and the database lacks, each in its
 * own transaction, under an advisory lock. A database one version ahead (a
 * newer node migrated it during a rolling deploy) is fine: migrations are
 * additive. Further ahead than that, this version refuses to start.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly string[] = POSTGRES_MIGRATIONS): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw typedError(error);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS parley_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const applied = (await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM parley_schema')).rows[0]?.version ?? 0;
    if (applied > migrations.length + 1) {
      throw new Error(
        `The database's schema is version ${applied}; this version of Parley knows ${migrations.length} and runs only one version behind. Upgrade this node.`,
      );
    }
    for (let version = applied + 1; version <= migrations.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(migrations[version - 1]!);
        await client.query('INSERT INTO parley_schema (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
