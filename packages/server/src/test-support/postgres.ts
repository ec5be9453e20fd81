import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests create databases on: PostgreSQL on 127.0.0.1:5432 unless told otherwise. */
export const TEST_POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test run (`parley_test_<pid>_<random>`), dropped after. Without a
 * reachable PostgreSQL it throws: tests that need one fail, they never skip.
 */
export async function createTestDatabase(label = 'test', server = TEST_POSTGRES_URL): Promise<TestDatabase> {
  const name = `parley_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is needed at ${url} (set PARLEY_TEST_POSTGRES_URL, or run .ci/run, which installs and starts it): ${String(error)}`, { cause: error });
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What the next version might add: the current code must keep working on it (rolling deploys). */
export const NEXT_VERSION_MIGRATION = `
  ALTER TABLE sessions ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
  ALTER TABLE events ADD COLUMN edited_at BIGINT;
  CREATE TABLE session_tags (session_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (session_id, tag));
  CREATE INDEX events_at ON events (at);
`;
