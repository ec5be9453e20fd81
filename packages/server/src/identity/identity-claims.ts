import { IDENTITY_LIMITS, type VerifiedIdentity } from '@parley/protocol';
import type { JWTPayload } from 'jose';
import * as v from 'valibot';

const L = IDENTITY_LIMITS;
const attributeName = v.pipe(v.string(), v.minLength(1), v.maxLength(L.attributeNameLength), v.regex(/^[\w.:-]+$/, 'attribute names: letters, digits and . _ : - only'));
const attributeValue = v.union([v.pipe(v.string(), v.maxLength(L.attributeValueLength)), v.number(), v.boolean()]);

/**
 * The claims of a user token the service reads (docs/protocol.md "Verified identity"); `iss`, `aud`,
 * `exp`, `iat` and `nbf` are jose's to check, and other claims are ignored.
 */
const IdentityClaims = v.looseObject({
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(L.userIdLength)),
  name: v.optional(v.pipe(v.string(), v.maxLength(L.nameLength))),
  email: v.optional(v.pipe(v.string(), v.maxLength(L.emailLength), v.email())),
  attributes: v.optional(
    v.pipe(
      v.record(attributeName, attributeValue),
      v.check((attributes) => Object.keys(attributes).length <= L.attributes, `at most ${L.attributes} attributes`),
    ),
    {},
  ),
});

/** The verified identity a token's payload carries, or why its claims are refused. */
export function identityOf(payload: JWTPayload): { ok: true; identity: VerifiedIdentity } | { ok: false; problem: string } {
  const parsed = v.safeParse(IdentityClaims, payload);
  if (!parsed.success) return { ok: false, problem: v.summarize(parsed.issues) };
  const { sub, name, email, attributes } = parsed.output;
  const identity: VerifiedIdentity = { userId: sub, attributes: Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, String(value)])) };
  if (name !== undefined) identity.name = name;
  if (email !== undefined) identity.email = email;
  return { ok: true, identity };
}
