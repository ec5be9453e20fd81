import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between clients and a service, for tests of answers lost on the
 * way: while held, bytes from the service are dropped, as when a connection
 * dies with data still in flight. `target` can move (a restarted service).
 */
export class TcpRelay {
  #holding = false;
  readonly #pairs = new Set<[Socket, Socket]>();

  private constructor(
    private readonly server: Server,
    public target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpRelay> {
    const server = createServer((client) => relay.pipe(client));
    const relay = new TcpRelay(server, target);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on, drops what the service sends instead of passing it on. */
  hold(): void {
    this.#holding = true;
  }

  /** Cuts every relayed connection and passes bytes again (to `target`, for connections made from now on). */
  reset(): void {
    this.#holding = false;
    for (const [client, upstream] of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.#pairs.clear();
  }

  close(): Promise<void> {
    this.reset();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: Socket): void {
    const upstream = createConnection(this.target);
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // While held, the client does not hear the service go either: it learns at `reset`.
    const upstreamGone = () => (this.#holding ? upstream.destroy() : end());
    client.on('error', end).on('close', end);
    upstream.on('error', upstreamGone).on('close', upstreamGone);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!this.#holding) client.write(chunk);
    });
  }
}
