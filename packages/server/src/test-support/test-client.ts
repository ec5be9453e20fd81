import type { ServerFrame } from '@parley/protocol';
import { WebSocket } from 'ws';

type Frame = ServerFrame & Record<string, unknown>;

/**
 * A raw protocol client for service tests: sends frames, records every frame
 * received, and waits for the next one matching a predicate (an event, not a
 * timer: it resolves the moment the frame arrives).
 */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The headers of the upgrade answer (behind the balancer, `x-parley-node` names the node). */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};
  /** Frames already returned by `next`; each frame is returned once. */
  readonly #taken = new Set<Frame>();
  #waiters: Array<{ match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }> = [];

  private constructor(readonly socket: WebSocket) {
    socket.once('upgrade', (response) => (this.upgradeHeaders = response.headers));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      const waiter = this.#waiters.find((candidate) => candidate.match(frame));
      if (!waiter) return;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      this.#taken.add(frame);
      waiter.resolve(frame);
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Opens a socket (from `localAddress`, e.g. 127.0.0.2, to be another client address) and says `hello` when given. */
  static async connect(url: string, hello?: Record<string, unknown>, headers: Record<string, string> = {}, localAddress?: string): Promise<TestClient> {
    const socket = new WebSocket(url, { headers, ...(localAddress ? { localAddress } : {}) });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (hello) {
      const welcome = client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
      client.send({ type: 'hello', v: 1, ...hello });
      await welcome;
    }
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame not yet taken that matches, now or when it arrives. */
  next(match: (frame: Frame) => boolean = () => true): Promise<Frame> {
    const waiting = this.frames.find((frame) => !this.#taken.has(frame) && match(frame));
    if (waiting) {
      this.#taken.add(waiting);
      return Promise.resolve(waiting);
    }
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Sends a frame with a fresh `ref` and waits for the result, ack or error that answers it. */
  async request(frame: Record<string, unknown>): Promise<Frame> {
    const ref = `r${Math.random().toString(36).slice(2)}`;
    const answer = this.next((candidate) => candidate.ref === ref);
    this.send({ ...frame, ref });
    return answer;
  }

  events(sessionId?: string): Array<Extract<ServerFrame, { type: 'event' }>> {
    return this.frames.filter((frame): frame is Frame & Extract<ServerFrame, { type: 'event' }> => frame.type === 'event' && (sessionId === undefined || frame.sessionId === sessionId));
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}
