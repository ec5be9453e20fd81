/**
 * I1: a customer the site's own backend vouches for. The service builds it from the claims of the
 * user token it verified (docs/protocol.md "Verified identity"); agents see it apart from the
 * pre-chat and hidden fields, which the page sets unsigned.
 */
export interface VerifiedIdentity {
  /** The token's `sub`: the site's id for its user. */
  userId: string;
  name?: string | undefined;
  email?: string | undefined;
  /** The token's `attributes` claim, values as strings (e.g. `{ plan: 'pro' }`). */
  attributes: Record<string, string>;
}

/** Bounds on a user token's claims; a token past them is refused as `bad_identity`. */
export const IDENTITY_LIMITS = {
  userIdLength: 200,
  nameLength: 200,
  emailLength: 320,
  attributes: 20,
  attributeNameLength: 64,
  attributeValueLength: 500,
} as const;
