/**
 * "The newest socket of an identity wins" (close 4409) on one node and across
 * nodes. Each claim is announced on the bus; every node closes its own sockets
 * whose claim an announced one follows. Claims are totally ordered (time, then
 * connection id), so whatever the bus's timing exactly one socket per identity
 * is left: the newest. Times are the nodes' wall clocks: two sockets opened
 * within the nodes' clock skew of each other may keep the one opened a moment
 * earlier, never both and never neither.
 */
export interface ConnectionClaim {
  /** A resumed or started session (`session:<id>`), or an agent in one browser (`agent:<id>:<browser>`). */
  identity: string;
  connectionId: string;
  /** Wall-clock milliseconds, fractional: claims on one node never tie. */
  at: number;
}

/** Whether `older` is replaced by `newer`: same identity, another socket, earlier in the order. */
export function replacedBy(older: ConnectionClaim, newer: ConnectionClaim): boolean {
  if (older.identity !== newer.identity || older.connectionId === newer.connectionId) return false;
  return older.at < newer.at || (older.at === newer.at && older.connectionId < newer.connectionId);
}

/** Now, on the wall clock, below the millisecond. */
export function claimTime(): number {
  return performance.timeOrigin + performance.now();
}
