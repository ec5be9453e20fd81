import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { SessionEvent } from '@parley/protocol';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { session } from '../store-contract.js';
import { openPostgresStore, type PostgresStore } from './postgres-store.js';

const NODES = 3;
/** Enough attempts at once that a missing lock shows every run, not now and then. */
const ROUNDS = 40;

const message = (text: string): SessionEvent => ({ kind: 'message', from: 'customer', author: 'Dana', text });

/**
 * N1 at the store: several nodes are several stores (each its own pool of
 * connections) on one database. What one process gets from running one
 * transaction at a time, nodes get from row locks, advisory locks and claims.
 */
describe('N1: several nodes on one PostgreSQL database', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let nodes: PostgresStore[];
  before(async () => {
    database = await createTestDatabase('nodes');
  });
  after(() => database.drop());
  beforeEach(async () => {
    nodes = [];
    // Opened together, as nodes starting at once: each migrates under the advisory lock.
    nodes = await Promise.all(Array.from({ length: NODES }, () => openPostgresStore({ url: database.url, poolSize: 8 })));
  });
  afterEach(async () => {
    const tables = await nodes[0]!.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'parley_schema'");
    await nodes[0]!.pool.query(`TRUNCATE ${tables.rows.map((row) => row.tablename).join(', ')} RESTART IDENTITY`);
    await Promise.all(nodes.map((node) => node.pool.end()));
  });

  it('N1: nodes appending to one session at once get gap-free seqs in commit order, never a seq twice', async () => {
    await nodes[0]!.createSession(session('s1'));
    const results = await Promise.all(
      Array.from({ length: ROUNDS * NODES }, (_, index) => nodes[index % NODES]!.appendEvent('s1', message(`m${index}`), 2000 + index, `c${index}`)),
    );
    const seqs = results.map((result) => result.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: ROUNDS * NODES }, (_, index) => index + 1));
    const stored = await nodes[1]!.eventsAfter('s1', 0);
    assert.deepEqual(stored.map((event) => event.seq), seqs);
    assert.equal((await nodes[2]!.getSession('s1'))?.lastSeq, ROUNDS * NODES);
  });

  it('N1: the same cmid sent through every node at once is stored once, and every node acks it with that seq', async () => {
    for (let round = 0; round < ROUNDS; round++) await nodes[0]!.createSession(session(`s${round}`));
    const acks = await Promise.all(
      Array.from({ length: ROUNDS }, (_, round) =>
        Promise.all(nodes.map((node) => node.transaction(() => node.appendEvent(`s${round}`, message('once'), 3000, 'same-cmid')))),
      ),
    );
    for (const [round, answers] of acks.entries()) {
      assert.deepEqual(answers.map((answer) => answer.seq), nodes.map(() => 1), `session s${round}: every node acks seq 1`);
      assert.equal(answers.filter((answer) => !answer.duplicate).length, 1, `session s${round}: stored by exactly one node`);
      assert.equal((await nodes[0]!.eventsAfter(`s${round}`, 0)).length, 1);
    }
  });

  it('N1: nodes running due deadlines at once fire each once, its effect stored in the same transaction', async () => {
    await nodes[0]!.createSession(session('s1'));
    for (let index = 0; index < ROUNDS; index++) await nodes[0]!.setDeadline({ subject: `session:d${index}`, kind: 'inactivity', dueAt: 100 + index });
    // Each node, as its scheduler does: claim, carry out, clear, in one transaction, until none is due.
    const runner = async (node: PostgresStore) => {
      for (;;) {
        const fired = await node.transaction(async () => {
          const deadline = await node.claimDeadline(1000);
          if (!deadline) return false;
          await node.appendEvent('s1', { kind: 'state', state: 'inactive', reason: deadline.subject }, 1000);
          await node.clearDeadline(deadline.subject, deadline.kind, deadline.dueAt);
          return true;
        });
        if (!fired) return;
      }
    };
    await Promise.all(nodes.map(runner));
    const effects = (await nodes[0]!.eventsAfter('s1', 0)).map((event) => (event.event.kind === 'state' ? event.event.reason : ''));
    assert.equal(effects.length, ROUNDS, 'one effect per deadline');
    assert.equal(new Set(effects).size, ROUNDS, 'no deadline fired twice');
    assert.deepEqual(await nodes[1]!.dueDeadlines(1000), []);
  });

  it('N1: a session has at most one offer whichever node offers it, and an offer is taken back once', async () => {
    const offers = await Promise.allSettled(
      nodes.map((node, index) => node.putOffer({ id: `o${index}`, sessionId: 's1', agentId: `agent-${index}`, createdAt: 1, expiresAt: 31 })),
    );
    assert.equal(offers.filter((result) => result.status === 'fulfilled').length, 1);
    const [kept] = await nodes[0]!.offersOfSession('s1');
    const deleted = await Promise.all(nodes.map((node) => node.deleteOffer(kept!.id)));
    assert.deepEqual(deleted.filter(Boolean), [true]);
  });

  it('N1: an office\'s routing lock is held by one node at a time; other offices route meanwhile', async () => {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const first = nodes[0]!.transaction(async () => {
      await nodes[0]!.lockRouting('north');
      held();
      await released;
      order.push('node 0 north');
    });
    await holding;
    const second = nodes[1]!.transaction(async () => {
      await nodes[1]!.lockRouting('north');
      order.push('node 1 north');
    });
    await nodes[2]!.transaction(async () => {
      await nodes[2]!.lockRouting('south');
      order.push('node 2 south');
    });
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['node 2 south', 'node 0 north', 'node 1 north']);
  });
});
