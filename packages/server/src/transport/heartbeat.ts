import type { ServerFrame } from '@parley/protocol';
import type { Connection } from './connection.js';

/** One frame object for every ping: it is encoded to bytes once, not once per socket. */
const PING: ServerFrame = { type: 'ping' };
/** Sockets pinged per turn of the event loop: a sweep of every idle visitor must not hold up the frames due meanwhile. */
export const PINGS_PER_TURN = 500;

/**
 * Heartbeat in real time: every `intervalMs`, pings every socket; a peer silent past the interval
 * plus 10 s is gone. With tens of thousands of idle sockets one sweep costs as much as an
 * availability fan-out, so it goes a slice at a time, each slice in its own turn of the event loop:
 * an availability change or a message arriving meanwhile is sent between two slices, not after all.
 */
export function startHeartbeat(connections: ReadonlySet<Connection>, intervalMs: number): () => void {
  let sweeping = false;
  const sweep = () => {
    if (sweeping) return;
    sweeping = true;
    const silentSince = Date.now() - intervalMs - 10_000;
    const pending = [...connections];
    const slice = (from: number) => {
      for (const connection of pending.slice(from, from + PINGS_PER_TURN)) {
        if (connection.lastSeen < silentSince) connection.socket.terminate();
        else connection.send(PING);
      }
      if (from + PINGS_PER_TURN < pending.length) setImmediate(slice, from + PINGS_PER_TURN);
      else sweeping = false;
    };
    slice(0);
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
