import type { ConnectionState } from '../connection/connection.js';
import { ParleyError } from '../errors/parley-error.js';

type WithConnection = { connection?: ConnectionState | undefined };

/**
 * Snapshots cross BroadcastChannel by structured clone, which keeps an
 * Error's message but not its class or code: a closed connection's error
 * travels as `{code, message}` and is rebuilt on the other side.
 */
export function toWire<S extends WithConnection>(parts: S): S {
  const { connection } = parts;
  if (connection?.status !== 'closed' || !connection.error) return parts;
  return { ...parts, connection: { status: 'closed', error: { code: connection.error.code, message: connection.error.message } as ParleyError } };
}

export function fromWire<S extends WithConnection>(parts: S): S {
  const { connection } = parts;
  if (connection?.status !== 'closed' || !connection.error || connection.error instanceof ParleyError) return parts;
  const plain = connection.error as { code: string; message: string };
  return { ...parts, connection: { status: 'closed', error: new ParleyError(plain.code, plain.message) } };
}
