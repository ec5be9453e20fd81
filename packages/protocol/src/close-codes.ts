/**
 * WebSocket close codes and what a client does on each (docs/protocol.md).
 * 1001/1012 and a `reconnect` frame: reconnect within the window and resume.
 * 1013: back off from the retry hint. 1008 and 4400–4499: terminal, do not loop.
 */
export const CLOSE = {
  goingAway: 1001,
  policyViolation: 1008,
  serviceRestart: 1012,
  tryAgainLater: 1013,
  /** Malformed handshake or an unsupported protocol version. */
  badProtocol: 4400,
  /** Missing, forged or expired token. */
  unauthorized: 4401,
  /** The token's role may not do this (e.g. a customer token on the agent role). */
  forbidden: 4403,
  /** A newer connection of the same browser took over. */
  replaced: 4409,
  /** The agent logged out (in this or another tab or browser). */
  loggedOut: 4410,
} as const;

/** True for close codes after which a client must not reconnect on its own. */
export function isTerminalClose(code: number): boolean {
  return code === CLOSE.policyViolation || (code >= 4400 && code <= 4499 && code !== CLOSE.replaced);
}
