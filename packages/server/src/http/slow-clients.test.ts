import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { ServiceProcess } from '../test-support/service-process.js';
import { TEST_CONFIG } from '../test-support/test-server.js';

const MAX_CONNECTIONS = 12;

/** A raw TCP client: what it received, and a promise of the moment the server closed it. */
async function rawClient(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += String(chunk)));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => received, closed };
}

describe('slow and numerous clients (a real process)', () => {
  let service: ServiceProcess;

  before(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-slow-'));
    const file = join(folder, 'parley.json');
    await writeFile(file, JSON.stringify({ ...TEST_CONFIG, databasePath: join(folder, 'parley.db'), http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, maxConnections: MAX_CONNECTIONS } }));
    service = await ServiceProcess.start(file);
  });
  after(() => service.kill('SIGKILL'));

  it('drops a client that never finishes its headers with 408 (http.headersTimeoutMs)', { timeout: 20_000 }, async () => {
    const client = await rawClient(service.url);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await client.closed;
    assert.match(client.received(), /^HTTP\/1\.1 408/);
  });

  it('drops a client that never finishes its body with 408 (http.requestTimeoutMs)', { timeout: 20_000 }, async () => {
    const client = await rawClient(service.url);
    client.socket.write('POST /v1/offline-messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"button":');
    await client.closed;
    assert.match(client.received(), /^HTTP\/1\.1 408/);
  });

  it('closes connections past http.maxConnections as they arrive, and keeps the ones it has', { timeout: 20_000 }, async () => {
    const socketUrl = `${service.url.replace('http', 'ws')}/v1/socket`;
    const open = async () => {
      const socket = new WebSocket(socketUrl);
      socket.on('error', () => {});
      const opened = await new Promise<boolean>((resolve) => {
        socket.once('open', () => resolve(true));
        socket.once('close', () => resolve(false));
      });
      return { socket, opened };
    };
    const sockets = [];
    for (let index = 0; index < MAX_CONNECTIONS; index++) sockets.push(await open());
    assert.ok(sockets.every((socket) => socket.opened));
    const extra = await open();
    assert.equal(extra.opened, false);
    assert.ok(sockets.every(({ socket }) => socket.readyState === WebSocket.OPEN));
    for (const { socket } of sockets) socket.terminate();
  });
});
