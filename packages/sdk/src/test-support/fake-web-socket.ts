import type { WebSocketLike } from '../connection/web-socket-like.js';

/**
 * A WebSocket the test drives: `open()`, `receive(frame)`, `serverClose(code)`.
 * Every instance is recorded in `FakeWebSocket.opened`, with the virtual time it was made at.
 */
export class FakeWebSocket implements WebSocketLike {
  static opened: FakeWebSocket[] = [];
  static now: () => number = () => 0;
  static onCreate: (socket: FakeWebSocket) => void = () => {};

  readyState = 0;
  readonly sent: Array<Record<string, unknown>> = [];
  readonly createdAt = FakeWebSocket.now();
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.opened.push(this);
    FakeWebSocket.onCreate(this);
  }

  static reset(now: () => number, onCreate: (socket: FakeWebSocket) => void = () => {}): void {
    FakeWebSocket.opened = [];
    FakeWebSocket.now = now;
    FakeWebSocket.onCreate = onCreate;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The service accepts the hello. */
  welcome(heartbeatMs = 25_000): void {
    this.receive({ type: 'welcome', v: 1, role: 'customer', epoch: 'e1', heartbeatMs, lastSeq: 0, replay: 'none' });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.readyState = 3;
  }
}
