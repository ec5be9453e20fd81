import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** How long a client may take, and how many may be connected at once (docs/server.md "HTTP"). */
export interface ListenerLimits {
  /** The request line and headers must arrive within this; a slow-header client is answered 408 and dropped. */
  headersTimeoutMs: number;
  /** The whole request, body included, within this; a slow-body client is answered 408 and dropped. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections (HTTP and WebSocket together) past this are closed as they arrive. */
  maxConnections: number;
}

export interface Listener {
  readonly server: Server;
  readonly url: string;
  /** Hands every request from now on to the app (until then: 503 `starting`). */
  serve(handler: RequestListener): void;
  close(): Promise<void>;
}

const STARTING = JSON.stringify({ error: { code: 'draining', message: 'The service is starting; try again in a moment.' } });

/**
 * Listens at once, before the service has started, so health checks see the
 * node starting (503) instead of a refused connection; the app takes over when
 * it is ready. The limits protect the node from slow and numerous clients.
 */
export async function listen(options: { host: string; port: number; limits: ListenerLimits }): Promise<Listener> {
  const { limits } = options;
  let handler: RequestListener = (request: IncomingMessage, response: ServerResponse) => {
    const answers: Record<string, unknown> = { '/healthz': { ok: false, starting: true, draining: false }, '/readyz': { ready: false } };
    const answer = answers[request.url ?? ''];
    response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
    response.end(answer ? JSON.stringify(answer) : STARTING);
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts above on this period; its default (30 s) would let them run far over.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, limits.headersTimeoutMs / 2)),
    },
    (request, response) => handler(request, response),
  );
  server.maxConnections = limits.maxConnections;
  const refuseUpgrade = (_request: IncomingMessage, socket: Duplex) => socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n');
  server.on('upgrade', refuseUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${urlHost}:${port}`,
    serve(next) {
      handler = next;
      server.off('upgrade', refuseUpgrade);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep idle connections open; closing must not wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
