import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';

/**
 * Signed tokens: `base64url(payload).base64url(HMAC-SHA256)`. Every node that
 * shares the secret can verify them, so a customer resumes on any node. They
 * travel in frames and headers, never in URLs.
 */
export const TokenPayload = v.strictObject({
  kind: v.picklist(['resume', 'agent', 'admin']),
  /** The session id (resume), agent id (agent) or admin id (admin). */
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  /** Resume tokens are bound to the browser that started the session. */
  browserId: v.optional(v.string()),
  /** Expiry, ms since the epoch; resume tokens last as long as their session. */
  exp: v.optional(v.number()),
});
export type TokenPayload = v.InferOutput<typeof TokenPayload>;

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function signToken(payload: TokenPayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

export function verifyToken(token: string, secret: string, now: number): TokenCheck {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const result = v.safeParse(TokenPayload, parsed);
  if (!result.success) return { ok: false, reason: 'malformed' };
  if (result.output.exp !== undefined && result.output.exp <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: result.output };
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
