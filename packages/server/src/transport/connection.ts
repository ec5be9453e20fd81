import type { ErrorCode, ServerFrame } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { AddressSlot } from './address-limits.js';
import type { ConnectionClaim } from './connection-claims.js';
import { RateLimiter } from './rate-limiter.js';

/** Frames sent to many sockets (availability, notices) are one object: each is encoded once, as UTF-8 bytes ready to send. */
const encoded = new WeakMap<ServerFrame, Buffer>();
function serialized(frame: ServerFrame): Buffer {
  let bytes = encoded.get(frame);
  if (bytes === undefined) encoded.set(frame, (bytes = Buffer.from(JSON.stringify(frame))));
  return bytes;
}

/** The heartbeat's answer, byte for byte as clients send it. */
const PONG_BYTES = Buffer.from('{"type":"pong"}');
/** What `parse` returns for it: the socket server notes the peer is there and does nothing more. */
export const PONG = Object.freeze({ type: 'pong' as const });

/**
 * The `ref` of a raw frame, when it is a readable JSON object with a well-formed one. Reading a frame
 * within the size limit costs far less than the work a frame asks for, which is what the limit saves.
 */
function refOf(data: Buffer): string | undefined {
  if (data.length > LIMITS.frameBytes) return undefined;
  try {
    const ref = (JSON.parse(data.toString('utf8')) as { ref?: unknown } | null)?.ref;
    return typeof ref === 'string' && ref.length <= LIMITS.idLength ? ref : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One socket: sends frames, reads and size-checks raw input, rate-limits it,
 * and remembers when the peer last spoke (for the heartbeat).
 */
export class Connection {
  lastSeen = Date.now();
  role: 'customer' | 'agent' | undefined;
  browserId: string | undefined;
  readonly id = randomUUID();
  /** Who this socket serves once authenticated, and since when: a newer socket of the same identity replaces it. */
  claim: ConnectionClaim | undefined;
  /** The last frame read was dropped by a rate limit (before a hello, the socket is then told to try again later). */
  limited = false;
  readonly #limiter: RateLimiter;

  constructor(
    readonly socket: WebSocket,
    readonly origin: string | undefined,
    readonly host: string | undefined,
    limits: { framesPerSecond: number; frameBurst: number },
    /** The client address's share of the per-address limits. */
    readonly address: AddressSlot,
  ) {
    this.#limiter = new RateLimiter(limits.framesPerSecond, limits.frameBurst);
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(frame: ServerFrame): void {
    // Bytes sent as a text frame, as JSON frames are.
    if (this.open) this.socket.send(serialized(frame), { binary: false });
  }

  error(code: ErrorCode, message: string, ref?: string): void {
    this.send({ type: 'error', code, message, ...(ref === undefined ? {} : { ref }) });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Parses one raw frame, or answers the error itself and returns undefined. */
  parse(data: Buffer, isBinary: boolean): unknown {
    this.lastSeen = Date.now();
    this.limited = !this.#limiter.take() || this.address.frames?.take() === false;
    if (this.limited) {
      // The frame is dropped, but its error names it, so the client knows which command to send again.
      this.error('rate_limited', 'Too many frames (from this socket or your address); this one was dropped. Slow down.', isBinary ? undefined : refOf(data));
      return undefined;
    }
    if (isBinary) {
      this.error('bad_frame', 'Frames are JSON text.');
      return undefined;
    }
    if (data.length > LIMITS.frameBytes) {
      this.error('too_large', `Frames are at most ${LIMITS.frameBytes} bytes.`);
      return undefined;
    }
    // Every socket answers every ping: tens of thousands of these per sweep are compared, not parsed.
    if (data.equals(PONG_BYTES)) return PONG;
    try {
      return JSON.parse(data.toString('utf8')) as unknown;
    } catch {
      this.error('bad_frame', 'A frame must be one JSON object.');
      return undefined;
    }
  }
}
