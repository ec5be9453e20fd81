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
  /** I3: the longest rating comment, in characters. */
  ratingCommentLength: 1000,
} as const;

/**
 * Frames per second one socket may send by default, and the burst it may send at once (the service's
 * `limits.framesPerSecond` and `limits.frameBurst`): past them a frame is dropped with `rate_limited`.
 * Apart from LIMITS, so clients that do not read it do not ship it.
 */
export const FRAME_LIMITS = { perSecond: 20, burst: 40 } as const;

/**
 * The share of a socket's frame budget a client's outbox uses (half of FRAME_LIMITS' rate and burst): a whole
 * outbox sent again after a reconnect stays within the limit and leaves room for typing, presence and
 * commands on the same socket.
 */
export const OUTBOX_PACE = { perSecond: 10, burst: 20 } as const;

/**
 * I2: an attachment's file name, in characters (the service's size limit and types are its configuration).
 * Apart from LIMITS, so clients that do not send files do not ship it.
 */
export const ATTACHMENT_LIMITS = { nameLength: 200 } as const;
