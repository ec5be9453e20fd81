import type { VerifiedIdentity } from '@parley/protocol';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/config-schema.js';
import { failure, type TokenFailure } from '../auth/tokens.js';
import { identityOf } from './identity-claims.js';

export type IdentityCheck = { ok: true; identity: VerifiedIdentity } | { ok: false; reason: TokenFailure | 'not accepted here'; detail?: string };

/** Another machine's clock signed the token: a little skew is not an attack. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** A JWKS holds public keys: only asymmetric algorithms, so a token cannot pass a public key off as an HMAC secret. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * I1: checks user tokens as the deployment's `identity` configuration says: the signature (HS256 with
 * the identity secret, or a key of the JWKS), `exp` (required), `nbf`, and `iss` / `aud` when
 * configured; then the claims (identity-claims.ts). Without a secret or JWKS, every token is refused.
 */
export function identityVerifier(config: Config['identity']): (token: string, now: number) => Promise<IdentityCheck> {
  const key: Uint8Array | JWTVerifyGetKey | undefined = config.secret
    ? new TextEncoder().encode(config.secret)
    : config.jwksUrl
      ? createRemoteJWKSet(new URL(config.jwksUrl))
      : undefined;
  const algorithms = config.secret ? ['HS256'] : JWKS_ALGORITHMS;
  return async (token, now) => {
    if (!key) return { ok: false, reason: 'not accepted here' };
    try {
      const options = {
        algorithms,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(now),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
        ...(config.audience === undefined ? {} : { audience: config.audience }),
      };
      const { payload } = key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      const claims = identityOf(payload);
      return claims.ok ? claims : { ok: false, reason: 'malformed', detail: claims.problem };
    } catch (error) {
      return { ok: false, reason: failure(error) };
    }
  };
}
