import { WebSocket } from 'ws';
import { agentToken } from './service.js';

type Frame = Record<string, unknown> & { type: string };

/**
 * Agents for benchmarks, on the raw protocol: Available, accept every offer,
 * answer every customer message with `re: <text>` (cmid from the message's
 * seq, so a replay never answers twice), and reconnect after a drain within
 * the service's window.
 */
export class EchoAgent {
  #socket: WebSocket | undefined;
  #stopped = false;
  readonly accepted = new Set<string>();
  /** Error codes the service answered with (a benchmark may print them). */
  readonly errors: string[] = [];
  /** Customer messages seen (replayed or live). */
  seenMessages = 0;

  constructor(
    private readonly wsUrl: () => string,
    readonly agentId: string,
  ) {}

  connect(): Promise<void> {
    return new Promise((done) => {
      const socket = new WebSocket(this.wsUrl());
      this.#socket = socket;
      const token = agentToken(this.agentId);
      socket.on('open', async () => {
        socket.send(JSON.stringify({ type: 'hello', v: 1, role: 'agent', browserId: `bench-${this.agentId}`, token: await token }));
      });
      let windowMs = 0;
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame;
        if (frame.type === 'welcome') {
          socket.send(JSON.stringify({ type: 'presence', status: 'available' }));
          done();
        }
        if (frame.type === 'error') this.errors.push(String((frame as { code?: unknown }).code));
        if (frame.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        if (frame.type === 'reconnect') windowMs = frame.windowMs as number;
        if (frame.type === 'offer') socket.send(JSON.stringify({ type: 'accept', offerId: frame.offerId }));
        if (frame.type === 'event') {
          const event = frame.event as { kind: string; from?: string; text?: string };
          if (event.kind === 'message' && event.from === 'customer') {
            this.seenMessages++;
            socket.send(JSON.stringify({ type: 'reply', sessionId: frame.sessionId, cmid: `re-${frame.sessionId}-${frame.seq}`, text: `re: ${event.text}` }));
          }
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        if (this.#stopped) return;
        const retry = () => void this.connect().catch(() => setTimeout(retry, 200));
        setTimeout(retry, Math.random() * (windowMs || 1000));
      });
    });
  }

  close(): void {
    this.#stopped = true;
    this.#socket?.terminate();
  }
}
