import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { documentedScriptTag } from './doc-examples.js';

const demo = resolve(import.meta.dirname, '../../demo');

/**
 * A website owner's shop on its own origin (another port than the chat
 * service), as people deploy: a plain page with the documented one-line tag,
 * served under a strict Content-Security-Policy that allows the chat service
 * and nothing else.
 */
export class ShopServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts on a free port; `chatService` is set later, once the service knows this origin. */
  static async start(): Promise<ShopServer> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const shop = new ShopServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => void shop.respond(request.url ?? '/', response));
    return shop;
  }

  /** The chat service the page embeds. */
  chatService = '';

  /** The page's policy: scripts from itself and the chat service, sockets and reads to the chat service, no inline anything. */
  get csp(): string {
    const service = new URL(this.chatService);
    return [
      "default-src 'none'",
      `script-src 'self' ${service.origin}`,
      "style-src 'self'",
      `connect-src ${service.origin} ws://${service.host}`,
      `img-src 'self' ${service.origin}`,
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
  }

  private async respond(path: string, response: import('node:http').ServerResponse): Promise<void> {
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': this.csp });
      response.end(this.page());
      return;
    }
    if (path === '/favicon.ico') return void response.writeHead(204).end();
    const file = { '/shop.js': 'shop.js', '/demo.css': 'demo.css' }[path];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/css', 'content-security-policy': this.csp });
    response.end(await readFile(resolve(demo, file)));
  }

  /** The demo shop, with the tag exactly as docs/embedding.md documents it, pointing at the chat service. */
  private page(): string {
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Acme Outdoor</title>
    <link rel="stylesheet" href="/demo.css" />
  </head>
  <body>
    <header><h1>Acme Outdoor</h1></header>
    <main><p>Order <strong>A-1042</strong> is on its way.</p></main>
    <script src="/shop.js" type="module"></script>
    ${documentedScriptTag(this.chatService)}
  </body>
</html>`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }
}
