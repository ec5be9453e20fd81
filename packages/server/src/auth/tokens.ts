import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/**
 * Tokens are JWTs (RFC 7519), signed HS256 with the service secret: every node
 * that shares the secret verifies them, so a customer resumes on any node.
 * The kind is the audience, so a token of one kind never passes for another.
 * They travel in frames and headers, never in URLs (docs/protocol.md "Tokens").
 */
export type TokenKind = 'resume' | 'agent' | 'admin';

export const TOKEN_ISSUER = 'parley';
export const TOKEN_AUDIENCE: Record<TokenKind, string> = { resume: 'parley:resume', agent: 'parley:agent', admin: 'parley:admin' };

export interface TokenClaims {
  kind: TokenKind;
  /** The session id (resume), agent id (agent) or admin name (admin). */
  sub: string;
  /** Resume tokens are bound to the browser that started the session. */
  browserId?: string | undefined;
  /** Agent tokens: the agent's token version when issued; a bump revokes every earlier token. */
  version?: number | undefined;
}

/** A verified token: its claims, and when it was issued (ms since the epoch). */
export interface VerifiedToken extends TokenClaims {
  issuedAt: number;
}

/** Why a token was refused; `unverifiable` when the identity provider's keys cannot be fetched right now. */
export type TokenFailure = 'malformed' | 'forged' | 'expired' | 'not yet valid' | 'for another audience' | 'revoked' | 'unverifiable';
export type TokenCheck = { ok: true; token: VerifiedToken } | { ok: false; reason: TokenFailure };

const SECONDS = 1000;
/** Clock skew allowed between the machine that issued a token and the one checking it. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** Only HS256 with the service secret; asymmetric algorithms only through a JWKS. */
const SERVICE_ALGORITHMS = ['HS256'];
const IDENTITY_PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const keys = new Map<string, Uint8Array>();
function keyOf(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = new TextEncoder().encode(secret)));
  return key;
}

/** Signs a token of the service; `now` is the service's clock, `ttlMs` how long it lives. */
export async function signToken(claims: TokenClaims, secret: string, options: { now: number; ttlMs: number }): Promise<string> {
  const payload: JWTPayload = {};
  if (claims.browserId !== undefined) payload.bid = claims.browserId;
  if (claims.version !== undefined) payload.ver = claims.version;
  const issuedAt = Math.floor(options.now / SECONDS);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE[claims.kind])
    .setSubject(claims.sub)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(Math.floor((options.now + options.ttlMs) / SECONDS))
    .sign(keyOf(secret));
}

/** Verifies a token of the service of the kind expected: signature, issuer, audience, expiry and not-before. */
export async function verifyToken(token: string, secret: string, kind: TokenKind, now: number): Promise<TokenCheck> {
  return verify(kind, () =>
    jwtVerify(token, keyOf(secret), {
      algorithms: SERVICE_ALGORITHMS,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE[kind],
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: new Date(now),
      // Nodes' clocks differ a little: a token another node issued this second is not "not yet valid" here.
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }),
  );
}

/** Where agent tokens minted by a company's own identity provider are checked (configuration `agentAuth`). */
export interface IdentityProvider {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

/**
 * Verifies agent tokens: the service's own (HS256), and, when an identity
 * provider is configured, its tokens against its JWKS. Which check applies
 * follows the token's algorithm, and each check allows only its own
 * algorithms, so a token cannot switch between them (algorithm confusion).
 */
export function agentTokenVerifier(secret: string, provider: IdentityProvider | undefined): (token: string, now: number) => Promise<TokenCheck> {
  const jwks: JWTVerifyGetKey | undefined = provider ? createRemoteJWKSet(new URL(provider.jwksUrl)) : undefined;
  return async (token, now) => {
    let algorithm: string | undefined;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (algorithm === 'HS256' || !jwks || !provider) return verifyToken(token, secret, 'agent', now);
    return verify('agent', () =>
      jwtVerify(token, jwks, {
        algorithms: IDENTITY_PROVIDER_ALGORITHMS,
        issuer: provider.issuer,
        audience: provider.audience,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(now),
        // Another machine's clock: a little skew is not an attack.
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }),
    );
  };
}

async function verify(kind: TokenKind, check: () => Promise<{ payload: JWTPayload }>): Promise<TokenCheck> {
  try {
    const { payload } = await check();
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 64) return { ok: false, reason: 'malformed' };
    const browserId = typeof payload.bid === 'string' ? payload.bid : undefined;
    const version = typeof payload.ver === 'number' ? payload.ver : undefined;
    return { ok: true, token: { kind, sub: payload.sub, browserId, version, issuedAt: (payload.iat ?? 0) * SECONDS } };
  } catch (error) {
    return { ok: false, reason: failure(error) };
  }
}

/** Why jose refused a token, in the words clients are told. */
export function failure(error: unknown): TokenFailure {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'not yet valid';
    if (error.claim === 'aud' || error.claim === 'iss') return 'for another audience';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JWKSNoMatchingKey) return 'forged';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) return 'unverifiable';
  return 'malformed';
}
