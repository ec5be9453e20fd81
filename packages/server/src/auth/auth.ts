import { timingSafeEqual } from 'node:crypto';
import type { ServiceContext } from '../service/context.js';
import type { SessionRecord } from '../store/store.js';
import { identityVerifier, type IdentityCheck } from '../identity/identity-verifier.js';
import { agentTokenVerifier, signToken, verifyToken, type TokenFailure } from './tokens.js';

const HOUR = 3600 * 1000;

export type AuthResult<T> = { ok: true; value: T } | { ok: false; reason: TokenFailure };

/** The token version of one agent: a token issued under an older version, or before `since`, is revoked. */
interface TokenVersion {
  version: number;
  since: number;
}

/**
 * Who may do what: issues and checks the service's tokens (docs/protocol.md
 * "Tokens"). Agent tokens are revoked by bumping the agent's token version
 * (on logout, or by an admin); resume tokens live as long as their session,
 * and a while after it ended.
 */
export class Auth {
  readonly #verifyAgent: (token: string, now: number) => ReturnType<typeof verifyToken>;
  readonly #verifyUser: (token: string, now: number) => Promise<IdentityCheck>;

  constructor(private readonly context: ServiceContext) {
    const { agentAuth } = context.config;
    const provider = agentAuth.jwksUrl ? { jwksUrl: agentAuth.jwksUrl, issuer: agentAuth.issuer!, audience: agentAuth.audience! } : undefined;
    this.#verifyAgent = agentTokenVerifier(this.#secret, provider);
    this.#verifyUser = identityVerifier(context.config.identity);
  }

  /** I1: the site's user a user token signs in, if the token is genuine, current and meant for this deployment. */
  user(token: string): Promise<IdentityCheck> {
    return this.#verifyUser(token, this.context.clock.now());
  }

  get #secret(): string {
    return this.context.config.secret!;
  }

  /**
   * A fresh resume token for a browser of the session (by default the one that began it; I1: any
   * browser of its verified user); every welcome carries one, so it lives while it is used.
   */
  resumeToken(session: SessionRecord, browserId = session.browserId): Promise<string> {
    const { resumeTokenHours } = this.context.config.tokens;
    return signToken({ kind: 'resume', sub: session.id, browserId }, this.#secret, { now: this.context.clock.now(), ttlMs: resumeTokenHours * HOUR });
  }

  /**
   * The token a resuming client should keep: the one it presented while it has more than half its
   * life left, else a fresh one. A drain moves every client at once, and signing a token per welcome
   * was a good part of what a node spends on each resume; the client still never holds a token
   * older than half its life after a welcome.
   */
  renewedResumeToken(session: SessionRecord, presented: { token: string; issuedAt: number }, browserId = session.browserId): Promise<string> {
    const halfLife = (this.context.config.tokens.resumeTokenHours * HOUR) / 2;
    if (this.context.clock.now() - presented.issuedAt < halfLife) return Promise.resolve(presented.token);
    return this.resumeToken(session, browserId);
  }

  /**
   * The session a resume token names, if the token is genuine, current, and
   * its session still resumable: an Ended session resumes (to show how it
   * ended) for `tokens.resumeAfterEndHours`, then never again.
   */
  async resume(token: string): Promise<AuthResult<{ session: SessionRecord; browserId: string | undefined; issuedAt: number }>> {
    const now = this.context.clock.now();
    const check = await verifyToken(token, this.#secret, 'resume', now);
    if (!check.ok) return check;
    const session = await this.context.store.getSession(check.token.sub);
    if (!session) return { ok: false, reason: 'expired' };
    const endedLongAgo = session.state === 'ended' && session.updatedAt + this.context.config.tokens.resumeAfterEndHours * HOUR <= now;
    if (endedLongAgo) return { ok: false, reason: 'expired' };
    return { ok: true, value: { session, browserId: check.token.browserId, issuedAt: check.token.issuedAt } };
  }

  /** An agent token carrying the agent's current token version. */
  async agentToken(agentId: string, ttlHours: number): Promise<string> {
    const { version } = await this.#version(agentId);
    return signToken({ kind: 'agent', sub: agentId, version }, this.#secret, { now: this.context.clock.now(), ttlMs: ttlHours * HOUR });
  }

  /** The agent a token signs in, if it is genuine, current, not revoked, and names a configured agent. */
  async agent(token: string): Promise<AuthResult<string>> {
    const check = await this.#verifyAgent(token, this.context.clock.now());
    if (!check.ok) return check;
    const { sub, version, issuedAt } = check.token;
    const current = await this.#version(sub);
    // The service's tokens carry the version; an identity provider's cannot, so its tokens count from the last bump.
    const revoked = version !== undefined ? version !== current.version : issuedAt < current.since;
    if (revoked) return { ok: false, reason: 'revoked' };
    return { ok: true, value: sub };
  }

  /** Revokes every agent token issued so far to this agent (logout, or an admin). */
  async revokeAgentTokens(agentId: string): Promise<number> {
    const next = { version: (await this.#version(agentId)).version + 1, since: this.context.clock.now() };
    await this.context.store.setMeta(versionKey(agentId), JSON.stringify(next));
    return next.version;
  }

  /** A short-lived admin token, for consoles that should not hold the configured admin token. */
  adminToken(ttlHours: number): Promise<string> {
    return signToken({ kind: 'admin', sub: 'admin' }, this.#secret, { now: this.context.clock.now(), ttlMs: ttlHours * HOUR });
  }

  /** Whether a bearer token opens the admin API: the configured admin token, or an admin JWT of this service. */
  async admin(token: string | undefined): Promise<boolean> {
    const expected = this.context.config.adminToken;
    if (!expected || !token) return false;
    const [a, b] = [Buffer.from(expected), Buffer.from(token)];
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
    return (await verifyToken(token, this.#secret, 'admin', this.context.clock.now())).ok;
  }

  async #version(agentId: string): Promise<TokenVersion> {
    const stored = await this.context.store.getMeta(versionKey(agentId));
    return stored ? (JSON.parse(stored) as TokenVersion) : { version: 0, since: 0 };
  }
}

const versionKey = (agentId: string) => `agent-token-version:${agentId}`;
