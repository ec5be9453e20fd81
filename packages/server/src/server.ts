import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStatic, type StaticMount } from './http/static-files.js';

export interface ServerOptions {
  port: number;
  host?: string;
  /** Folders served over plain HTTP (the demo and the script-tag bundles). */
  staticMounts?: readonly StaticMount[];
}

export interface RunningServer {
  /** The base URL, with the port actually bound (useful with port 0). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the reference service on one port.
 *
 * @example
 * const server = await startServer({ port: 8787 });
 * console.log(`listening on ${server.url}`);
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const mounts = options.staticMounts ?? [];
  const http: Server = createServer((request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true }));
      return;
    }
    serveStatic(request, response, mounts)
      .then((served) => {
        if (served) return;
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'not_found', message: 'No such resource.' } }));
      })
      .catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  await new Promise<void>((resolve) => http.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise((resolve, reject) => http.close((error) => (error ? reject(error) : resolve()))),
  };
}
