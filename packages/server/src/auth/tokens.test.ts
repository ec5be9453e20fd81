import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { signToken } from '../auth/tokens.js';
import { TestClient } from '../test-support/test-client.js';
import { SECRET, startTestService, type TestService } from '../test-support/test-server.js';

const HOUR = 3600_000;
const ISSUER = 'https://id.example.com/';
const AUDIENCE = 'parley-agents';

/** A company's identity provider: a key pair, its JWKS served over HTTP, and tokens it mints. */
class IdentityProvider {
  server!: Server;
  jwks: { keys: JWK[] } = { keys: [] };
  private constructor(
    readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
  ) {}

  static async start(): Promise<IdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const provider = new IdentityProvider(privateKey, publicKey);
    provider.jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
    provider.server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(provider.jwks)));
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  mint(claims: { sub?: string; iss?: string; aud?: string; iat: number; exp: number; nbf?: number }, key: CryptoKey = this.privateKey, kid = 'key-1'): Promise<string> {
    const { sub = 'ana', iss = ISSUER, aud = AUDIENCE, iat, exp, nbf } = claims;
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setSubject(sub).setIssuer(iss).setAudience(aud).setIssuedAt(iat).setExpirationTime(exp);
    return (nbf === undefined ? jwt : jwt.setNotBefore(nbf)).sign(key);
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** An HS256 token with the provider's issuer and audience, signed with `key`. */
const hs256ForProvider = (key: Uint8Array, now: number) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('ana').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt(now).setExpirationTime(now + 3600).sign(key);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokens are JWTs', () => {
  let service: TestService;
  let provider: IdentityProvider;

  before(async () => {
    provider = await IdentityProvider.start();
    service = await startTestService({ agentAuth: { jwksUrl: provider.url, issuer: ISSUER, audience: AUDIENCE } });
  });
  after(async () => {
    await service.close();
    provider.server.close();
  });

  /** What the service does with an agent hello carrying this token: the welcome, or the error and close code. */
  async function signIn(token: string): Promise<{ welcome: boolean; error?: string; code?: number }> {
    const client = await TestClient.connect(service.wsUrl);
    const answer = client.next((frame) => frame.type === 'welcome' || frame.type === 'error');
    client.send({ type: 'hello', v: 1, role: 'agent', browserId: `b-${Math.random()}`, token });
    const frame = await answer;
    if (frame.type === 'welcome') {
      await client.close();
      return { welcome: true };
    }
    return { welcome: false, error: String(frame.message), code: (await client.closed).code };
  }

  it('an agent token of the service is a standard HS256 JWT with issuer, audience, subject, issued-at, not-before and expiry', async () => {
    const token = await service.server.service.auth.agentToken('ana', 12);
    const [header, payload, signature] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const now = seconds(service.clock.now());
    assert.deepEqual(claims, { ver: 0, iss: 'parley', aud: 'parley:agent', sub: 'ana', iat: now, nbf: now, exp: now + 12 * 3600 });
    assert.ok(signature && signature.length > 40);
    assert.deepEqual(await signIn(token), { welcome: true });
  });

  it('refuses forged, tampered, expired, not-yet-valid, wrong-audience and unsigned service tokens with 4401', async () => {
    const now = service.clock.now();
    const good = await signToken({ kind: 'agent', sub: 'ana' }, SECRET, { now, ttlMs: HOUR });
    const [header, , signature] = good.split('.');
    const cases: Record<string, string> = {
      forged: await signToken({ kind: 'agent', sub: 'ana' }, 'another-secret-another-secret-another-secret', { now, ttlMs: HOUR }),
      // Ben's claims under Ana's signature.
      tampered: `${header}.${base64url({ iss: 'parley', aud: 'parley:agent', sub: 'ben', iat: seconds(now), exp: seconds(now + HOUR) })}.${signature}`,
      expired: await signToken({ kind: 'agent', sub: 'ana' }, SECRET, { now: now - 2 * HOUR, ttlMs: HOUR }),
      'not yet valid': await signToken({ kind: 'agent', sub: 'ana' }, SECRET, { now: now + HOUR, ttlMs: HOUR }),
      // A customer's resume token presented as an agent's.
      'for another audience': await signToken({ kind: 'resume', sub: 'ana', browserId: 'b' }, SECRET, { now, ttlMs: HOUR }),
      unsigned: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: 'parley', aud: 'parley:agent', sub: 'ana', iat: seconds(now), exp: seconds(now + HOUR) })}.`,
      garbage: 'not.a.token',
    };
    for (const [name, token] of Object.entries(cases)) {
      const result = await signIn(token);
      assert.equal(result.welcome, false, name);
      assert.equal(result.code, 4401, name);
    }
    assert.match((await signIn(cases.expired!)).error!, /expired/);
    assert.match((await signIn(cases['not yet valid']!)).error!, /not yet valid/);
    assert.match((await signIn(cases['for another audience']!)).error!, /another audience/);
  });

  it("signs in an agent with a token of the company's identity provider, checked against its JWKS, issuer and audience", async () => {
    const now = seconds(service.clock.now());
    assert.deepEqual(await signIn(await provider.mint({ iat: now, exp: now + 3600 })), { welcome: true });
  });

  it("refuses identity-provider tokens with the wrong issuer, audience or key, expired or not yet valid, and algorithm confusion", async () => {
    const now = seconds(service.clock.now());
    const stranger = await generateKeyPair('RS256');
    const publicKeyPem = await exportSPKI(provider.publicKey);
    const cases: Record<string, string> = {
      'wrong issuer': await provider.mint({ iss: 'https://evil.example/', iat: now, exp: now + 3600 }),
      'wrong audience': await provider.mint({ aud: 'another-service', iat: now, exp: now + 3600 }),
      'unknown key': await provider.mint({ iat: now, exp: now + 3600 }, stranger.privateKey, 'key-2'),
      'stranger signing with the known kid': await provider.mint({ iat: now, exp: now + 3600 }, stranger.privateKey),
      expired: await provider.mint({ iat: now - 7200, exp: now - 3600 }),
      'not yet valid': await provider.mint({ iat: now, nbf: now + 3600, exp: now + 7200 }),
      // The classic confusion: HS256 "signed" with the provider's public key, which anyone can read.
      'HS256 with the public key': await hs256ForProvider(new TextEncoder().encode(publicKeyPem), now),
      // An agent of the service's own kind cannot borrow the provider's audience.
      'service-signed for the provider audience': await hs256ForProvider(new TextEncoder().encode(SECRET), now),
      'unknown agent': await provider.mint({ sub: 'mallory', iat: now, exp: now + 3600 }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const result = await signIn(token);
      assert.equal(result.welcome, false, name);
      assert.ok(result.code === 4401 || result.code === 4403, `${name}: closed with ${result.code}`);
    }
  });

  it('refuses a resume token at the transcript read unless it is a resume token of this service', async () => {
    const agentToken = await service.server.service.auth.agentToken('ana', 1);
    for (const token of [agentToken, 'x.y.z']) {
      const response = await fetch(`${service.server.url}/v1/transcript`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 401);
    }
  });
});
