/** Every `code` the service puts in an `error` frame or an HTTP error body. */
export const ERROR_CODES = [
  'bad_frame', // not JSON, unknown type, wrong or unknown fields
  'bad_request', // an HTTP body or query that does not validate
  'too_large', // frame or text over the limits
  'rate_limited', // too many frames (dropped), or too many chats started from one address or browser
  'unsupported_version',
  'unauthorized', // missing, forged or expired token
  'bad_identity', // I1: the user token is forged, expired, or for another issuer or audience (the socket goes on anonymously)
  'identity_required', // I1: the deployment chats with signed-in users only (`identity.required`)
  'forbidden', // wrong role, or another customer's session
  'not_found',
  'no_session', // a session command before `start` or resume
  'session_exists', // `start` while a session of this browser is open
  'queue_full', // the button's queue holds as many Waiting chats as it may: leave a message instead
  'session_ended',
  'session_open', // I3: a rating before the chat has ended; D7: erasing a customer with an open chat
  'session_inactive', // S4: an agent writing to an Inactive session must start a new one
  'offline', // no agent can answer: leave a message instead
  'maintenance', // M1: inside a planned window
  'read_only', // M6: the store cannot take writes now; retry later
  'draining', // the node is shutting down; reconnect
  'not_assigned', // an agent acting on work that is not theirs
  'offer_gone', // the offer expired or was taken
  'unsupported_type', // I2: an attachment whose content is not an allowed type (whatever its name says)
  'bad_config', // S9 and every other refused configuration
  'internal', // a bug; nothing was changed
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
