import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { parseConfig } from '../config/load-config.js';
import { startServer } from '../server.js';
import { silentLogger } from '../service/logger.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { TEST_CONFIG } from '../test-support/test-server.js';

/** The real SQLite store, whose reads wait for `gate` and fail while `down` is set. */
function controlledStore(control: { gate: Promise<void>; down: boolean }): Store {
  const inner = openSqliteStore(':memory:');
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      return async (...args: unknown[]) => {
        await control.gate;
        if (control.down) throw new Error('connection refused');
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const json = async (response: Response) => [response.status, await response.json()] as const;

describe('health checks', () => {
  it('while starting, /readyz and /healthz answer 503 and sockets are refused; once started, 200', async () => {
    let open!: () => void;
    const control = { gate: new Promise<void>((resolve) => (open = resolve)), down: false };
    let listening!: (url: string) => void;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const starting = startServer({ config: parseConfig(TEST_CONFIG), log: silentLogger, store: controlledStore(control), onListening: listening });
    const base = await url;

    assert.deepEqual(await json(await fetch(`${base}/readyz`)), [503, { ready: false }]);
    assert.deepEqual(await json(await fetch(`${base}/healthz`)), [503, { ok: false, starting: true, draining: false }]);
    assert.equal((await fetch(`${base}/v1/availability?button=sales`)).status, 503);
    const refused = await new Promise<number>((resolve) => new WebSocket(`${base.replace('http', 'ws')}/v1/socket`).on('unexpected-response', (_request, response) => resolve(response.statusCode!)));
    assert.equal(refused, 503);

    open();
    const server = await starting;
    try {
      assert.deepEqual(await json(await fetch(`${base}/readyz`)), [200, { ready: true }]);
      assert.deepEqual(await json(await fetch(`${base}/healthz`)), [200, { ok: true, starting: false, draining: false, store: 'ok' }]);
    } finally {
      await server.close();
    }
  });

  it('/healthz answers 503 while the store cannot be reached, and 200 again when it can; /readyz stays 200', async () => {
    const control = { gate: Promise.resolve(), down: false };
    const server = await startServer({ config: parseConfig(TEST_CONFIG), log: silentLogger, store: controlledStore(control) });
    try {
      control.down = true;
      assert.deepEqual(await json(await fetch(`${server.url}/healthz`)), [503, { ok: false, starting: false, draining: false, store: 'unreachable' }]);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      control.down = false;
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });
});
