import type { IncomingMessage, Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import * as v from 'valibot';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE, HelloFrame, PROTOCOL_VERSION } from '@parley/protocol';
import { ServiceError } from '../service/context.js';
import type { ParleyService } from '../service/parley-service.js';
import { StoreReadOnlyError } from '../store/store.js';
import { addressKey, clientAddressOf } from '../limits/client-address.js';
import { AddressLimits, type AddressSlot } from './address-limits.js';
import { Connection, PONG } from './connection.js';
import { claimTime, replacedBy, type ConnectionClaim } from './connection-claims.js';
import { startHeartbeat } from './heartbeat.js';
import { openAgent } from './agent-handler.js';
import { openCustomer, type FrameHandler } from './customer-handler.js';

export const SOCKET_PATH = '/v1/socket';
/** Frames past this are cut by ws itself (close 1009); up to it we answer `too_large` and keep the socket. */
const HARD_FRAME_LIMIT = 1024 * 1024;

export interface SocketServer {
  connections(): { customer: number; agent: number; pending: number };
  /** M3: tells every client to reconnect and closes it with 1012, a batch per 100 ms; resolves when all are told. */
  drain(): Promise<void>;
  /** Takes sockets again after a drain (the demo's in-place "restart"). */
  reopen(): void;
  readonly draining: boolean;
  close(): void;
}

/** WebSocket endpoint on the HTTP server's port, at /v1/socket. */
export function attachSocketServer(http: Server, service: ParleyService): SocketServer {
  const { context } = service;
  // Idle visitors are most sockets: no per-message deflate (its zlib state costs hundreds of KiB a socket once used).
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_LIMIT, perMessageDeflate: false });
  const connections = new Set<Connection>();
  const addressOf = clientAddressOf(context.config.trustedProxies);
  const addressLimits = new AddressLimits(context.config.limits, context.counters);
  let draining = false;
  /** This node's claimed sockets by identity: a drain moves every client at once, and each claim looks only at its own identity. */
  const claimed = new Map<string, Set<Connection>>();
  const unclaim = (connection: Connection) => {
    const set = connection.claim && claimed.get(connection.claim.identity);
    if (!set) return;
    set.delete(connection);
    if (set.size === 0) claimed.delete(connection.claim!.identity);
  };
  /** Closes this node's sockets that a claim (this node's or another's) replaces. */
  const replaceOlder = (claim: ConnectionClaim) => {
    for (const other of claimed.get(claim.identity) ?? []) if (other.claim && replacedBy(other.claim, claim)) other.close(CLOSE.replaced, 'replaced by a newer connection');
  };
  const stopListening = context.bus.subscribe((event) => {
    if (event.type === 'connection-claimed') replaceOlder(event.claim);
  });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== SOCKET_PATH) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    // A draining node takes no one new; clients back off and find another node.
    if (draining) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n');
    socket.on('error', () => socket.destroy());
    void addressLimits.admit(addressKey(addressOf(request))).then((slot) => {
      if (!slot) return void socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 10\r\nContent-Length: 0\r\n\r\n');
      socket.once('close', () => slot.release());
      if (socket.destroyed) return slot.release();
      wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request, slot));
    }, (error: unknown) => {
      service.failed(error);
      socket.destroy();
    });
  });

  function accept(ws: WebSocket, request: IncomingMessage, slot: AddressSlot): void {
    const connection = new Connection(ws, request.headers.origin, request.headers.host, context.config.limits, slot);
    connections.add(connection);
    /** The newest socket of an authenticated identity wins, on whichever node; an older one is a stale tab or a dead network path. */
    const claim = (identity: string) => {
      unclaim(connection);
      connection.claim = { identity, connectionId: connection.id, at: claimTime() };
      const set = claimed.get(identity) ?? new Set<Connection>();
      claimed.set(identity, set.add(connection));
      replaceOlder(connection.claim);
      context.bus.publish({ type: 'connection-claimed', claim: connection.claim });
    };
    let handler: FrameHandler | undefined;
    let opening: Promise<void> | undefined;
    // Frames are handled one at a time, in order, per socket.
    let queue: Promise<void> = Promise.resolve();
    // Not a protocol error: a client whose page was busy (a long task, a throttled tab) may not have
    // said hello yet. Closing with a terminal code would stop it for good; 1013 makes it back off and return.
    const helloTimer = setTimeout(() => {
      if (!connection.role) connection.close(CLOSE.tryAgainLater, 'no hello');
    }, context.config.helloTimeoutMs);

    ws.on('message', (data: Buffer, isBinary) => {
      if (!connection.open) return;
      const frame = connection.parse(data, isBinary);
      if (frame === undefined) {
        // Before a hello, an unreadable frame ends the handshake; after it, the error frame is enough.
        if (!opening) connection.close(connection.limited ? CLOSE.tryAgainLater : CLOSE.badProtocol, connection.limited ? 'rate limited' : 'bad hello');
        return;
      }
      // A pong after the hello: `parse` noted the peer is there, which is all a pong is for.
      if (frame === PONG && handler) return;
      const receivedAt = performance.now();
      queue = queue.then(() => (opening || handler ? handle(frame, receivedAt) : (opening = hello(frame)))).catch((error: unknown) => service.failed(error));
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      connections.delete(connection);
      unclaim(connection);
      service.delivery.remove(connection);
      queue = queue.then(() => handler?.closed()).catch((error: unknown) => service.failed(error));
    });
    ws.on('error', () => ws.terminate());

    async function hello(raw: unknown): Promise<void> {
      clearTimeout(helloTimer);
      if (!connection.open) return;
      const parsed = v.safeParse(HelloFrame, raw);
      if (!parsed.success || (raw as { type?: unknown }).type !== 'hello') {
        connection.error('bad_frame', parsed.success ? 'Say hello first.' : `Bad hello: ${v.summarize(parsed.issues)}`);
        return connection.close(CLOSE.badProtocol, 'bad hello');
      }
      const frame = parsed.output;
      if (frame.v !== PROTOCOL_VERSION) {
        connection.error('unsupported_version', `This service speaks protocol v${PROTOCOL_VERSION}.`);
        return connection.close(CLOSE.badProtocol, 'unsupported version');
      }
      if (frame.role === 'customer' && !context.origins.allows(connection.origin)) {
        connection.error('forbidden', 'This page may not open a chat here.');
        return connection.close(CLOSE.forbidden, 'origin not allowed');
      }
      connection.role = frame.role;
      connection.browserId = frame.browserId;
      try {
        handler = frame.role === 'customer' ? await openCustomer(service, connection, frame, claim) : await openAgent(service, connection, frame, claim);
      } catch (error) {
        answerFailure(connection, error);
        connection.close(CLOSE.tryAgainLater, 'try again');
      }
    }

    async function handle(raw: unknown, receivedAt: number): Promise<void> {
      // A socket being closed (drained, replaced) runs nothing more: its client will not hear the answer and sends again elsewhere.
      if (!handler || !connection.open) return;
      try {
        await handler.handle(raw);
        const type = (raw as { type?: unknown }).type;
        if (connection.role && (type === 'message' || type === 'reply')) context.metrics.ackLatency.observe({ role: connection.role }, (performance.now() - receivedAt) / 1000);
      } catch (error) {
        answerFailure(connection, error, (raw as { ref?: unknown } | null)?.ref);
      }
    }
  }

  function answerFailure(connection: Connection, error: unknown, ref?: unknown): void {
    const refText = typeof ref === 'string' ? ref : undefined;
    if (error instanceof ServiceError) return connection.error(error.code, error.message, refText);
    service.failed(error);
    if (error instanceof StoreReadOnlyError) return connection.error('read_only', 'Chat is temporarily unavailable; your message is kept and will be sent again.', refText);
    connection.error('internal', 'Something went wrong on our side; nothing was changed.', refText);
  }

  const stopHeartbeat = startHeartbeat(connections, context.config.heartbeatMs);

  return {
    connections() {
      const counts = { customer: 0, agent: 0, pending: 0 };
      for (const connection of connections) counts[connection.role ?? 'pending']++;
      return counts;
    },
    get draining() {
      return draining;
    },
    async drain() {
      draining = true;
      context.log.info({ connections: connections.size }, 'draining');
      const { drainBatch, drainWindowMs } = context.config.maintenance;
      while (connections.size > 0) {
        for (const connection of [...connections].slice(0, drainBatch)) {
          connection.send({ type: 'reconnect', reason: 'maintenance', windowMs: drainWindowMs });
          connection.close(CLOSE.serviceRestart, 'service restart');
          connections.delete(connection);
        }
        if (connections.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    reopen() {
      draining = false;
    },
    close() {
      stopHeartbeat();
      stopListening();
      // Drained sockets whose peers never answered the close (a dead network path) go too.
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
