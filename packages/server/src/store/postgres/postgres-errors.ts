import { StoreReadOnlyError, StoreUnavailableError } from '../store.js';

// SQLSTATE classes and codes (PostgreSQL manual, appendix A).
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '58000', '58030']);
const READ_ONLY_CODES = new Set(['25006', '53100', '53200']);
const RETRY_CODES = new Set(['40001', '40P01']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** A deadlock or serialization failure: the transaction may simply run again. */
export function isRetryable(error: unknown): boolean {
  return RETRY_CODES.has(codeOf(error));
}

/** The store's typed error for what PostgreSQL or the network reported; other errors pass through. */
export function typedError(error: unknown): unknown {
  if (error instanceof StoreReadOnlyError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (READ_ONLY_CODES.has(code)) return new StoreReadOnlyError(`the store cannot take writes (${code})`, { cause: error });
  // Class 08: connection exceptions; the driver's own messages for a connection that went away.
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code) || /Connection terminated|not queryable|timeout exceeded when trying to connect|the database system is/i.test(message)) {
    return new StoreUnavailableError(`the store cannot be reached (${code || message})`, { cause: error });
  }
  return error;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
