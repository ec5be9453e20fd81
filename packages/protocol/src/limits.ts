/** Limits both sides enforce; the service refuses anything past them with a typed error. */
export const LIMITS = {
  /** Largest WebSocket frame the service reads, in bytes. */
  frameBytes: 64 * 1024,
  /** Longest message text, in characters. */
  textLength: 4000,
  /** Ids (cmid, browserId, button, office, agent ids) are short printable strings. */
  idLength: 64,
  /** Signed tokens (JWTs; an identity provider's agent tokens can be long). */
  tokenLength: 4096,
  /** Pre-chat: at most this many fields, each value at most `prechatValueLength`. */
  prechatFields: 20,
  prechatValueLength: 500,
} as const;
