import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed link opens: one attachment, for one session, until a time. */
export interface LinkClaims {
  attachmentId: string;
  sessionId: string;
  /** ms since the epoch (the service's clock). */
  expiresAt: number;
}

/**
 * I2: short-lived signed links to an attachment's bytes, so `<img src>` and a download work
 * without a token in a header. HMAC-SHA256 under a key of its own derived from the service
 * secret (a link is never a token of another kind), over the attachment, its session and the
 * expiry: any node sharing the secret checks it, and a link changed in any part is refused.
 */
export class AttachmentLinks {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = createHmac('sha256', secret).update('parley:attachment-link').digest();
  }

  sign(claims: LinkClaims): string {
    return this.#mac(claims);
  }

  /** `valid`, `expired` (at `now`) or `forged` (any part changed, or signed with another secret). */
  check(claims: LinkClaims, signature: string, now: number): 'valid' | 'expired' | 'forged' {
    const expected = Buffer.from(this.#mac(claims));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
    return claims.expiresAt <= now ? 'expired' : 'valid';
  }

  #mac(claims: LinkClaims): string {
    return createHmac('sha256', this.#key).update(`${claims.attachmentId}\n${claims.sessionId}\n${claims.expiresAt}`).digest('base64url');
  }
}
