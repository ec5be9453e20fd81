import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { after, afterEach, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { ServiceProcess } from '../test-support/service-process.js';
import { TestClient } from '../test-support/test-client.js';
import { testAgentToken } from '../test-support/test-server.js';

/** What the site's backend shares with the service (configuration `identity.secret`). */
const SITE_SECRET = 'site-identity-secret-0123456789-0123456789';
const SITE = { issuer: 'https://shop.example', audience: 'parley:shop' };
const IDENTITY = { secret: SITE_SECRET, ...SITE };

const DANA = { sub: 'user-42', name: 'Dana Scully', email: 'dana@example.com', attributes: { plan: 'pro', seats: 3 } };

/** A user token as a site's backend signs it; `patch` makes it bad in one way. */
async function userToken(
  claims: JWTPayload = DANA,
  patch: { secret?: string; issuer?: string; audience?: string; expiresAt?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(patch.issuer ?? SITE.issuer)
    .setAudience(patch.audience ?? SITE.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(patch.expiresAt ?? now + 600)
    .sign(new TextEncoder().encode(patch.secret ?? SITE_SECRET));
}

describe('I1: verified identity (a real process)', () => {
  let service: ServiceProcess | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    await service?.kill('SIGKILL');
    service = undefined;
  });

  /** A customer socket after `hello`, with every frame it received kept from the start. */
  async function customer(browserId: string, hello: Record<string, unknown> = {}): Promise<TestClient> {
    const client = await TestClient.connect(service!.wsUrl, undefined);
    clients.push(client);
    const welcome = client.next((frame) => frame.type === 'welcome');
    client.send({ type: 'hello', v: 1, role: 'customer', browserId, button: 'sales', ...hello });
    await welcome;
    return client;
  }

  async function availableAgent(agentId = 'ana'): Promise<TestClient> {
    const agent = await TestClient.connect(service!.wsUrl, { role: 'agent', browserId: `browser-${agentId}`, token: await testAgentToken(agentId) });
    clients.push(agent);
    await agent.request({ type: 'presence', status: 'available' });
    return agent;
  }

  const welcomeOf = (client: TestClient) => client.frames.find((frame) => frame.type === 'welcome')!;
  const errorCodes = (client: TestClient) => client.frames.filter((frame) => frame.type === 'error').map((frame) => frame.code);

  it('I1: a forged, expired, wrong-audience, wrong-issuer or ill-formed user token is refused with bad_identity, and the chat goes on anonymously', async () => {
    service = await ServiceProcess.start(await ServiceProcess.configFile({ identity: IDENTITY }));
    const agent = await availableAgent();
    const bad = {
      forged: await userToken(DANA, { secret: 'another-secret-0123456789-0123456789-0123' }),
      expired: await userToken(DANA, { expiresAt: Math.floor(Date.now() / 1000) - 3600 }),
      'wrong audience': await userToken(DANA, { audience: 'parley:another-shop' }),
      'wrong issuer': await userToken(DANA, { issuer: 'https://evil.example' }),
      'bad email': await userToken({ ...DANA, email: 'not an address' }),
      'not a JWT': 'not-a-jwt',
    };
    for (const [what, token] of Object.entries(bad)) {
      const client = await customer(`browser-${what.replace(/\W/g, '-')}`, { userToken: token });
      assert.deepEqual(errorCodes(client), ['bad_identity'], what);
      assert.match(String(client.frames.find((frame) => frame.type === 'error')!.message), /anonymously/, what);
      assert.equal(welcomeOf(client).userId, undefined, what);
      if (what !== 'forged') continue;
      // Anonymous, the chat still works; the agent is told nothing verified.
      const started = await client.request({ type: 'start', prechat: { name: 'Dana' } });
      assert.equal(started.type, 'result');
      const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === (started.data as { sessionId: string }).sessionId);
      assert.equal(offer.identity, undefined);
      assert.deepEqual(offer.prechat, { name: 'Dana' });
    }
    // Nothing was stored for Dana: her genuine token on another browser finds no chat of hers.
    const genuine = await customer('browser-genuine', { userToken: await userToken() });
    assert.deepEqual(errorCodes(genuine), []);
    assert.equal(welcomeOf(genuine).userId, 'user-42');
    assert.equal(welcomeOf(genuine).sessionId, undefined);
  });

  it('I1: identity.required refuses anonymous and badly signed customers a chat (identity_required), and lets a verified one chat', async () => {
    service = await ServiceProcess.start(await ServiceProcess.configFile({ identity: { ...IDENTITY, required: true } }));
    await availableAgent();
    const anonymous = await customer('browser-anonymous');
    assert.equal((await anonymous.request({ type: 'start', prechat: {} })).code, 'identity_required');
    const forged = await customer('browser-forged', { userToken: await userToken(DANA, { secret: 'another-secret-0123456789-0123456789-0123' }) });
    assert.deepEqual(errorCodes(forged), ['bad_identity']);
    assert.equal((await forged.request({ type: 'start', prechat: {} })).code, 'identity_required');
    // Neither refusal stored a chat: the anonymous browser, once signed in, starts one (no session_exists).
    const signedIn = await customer('browser-anonymous', { userToken: await userToken() });
    const started = await signedIn.request({ type: 'start', prechat: {} });
    assert.equal(started.type, 'result', JSON.stringify(started));
  });

  it('I1: the same verified user on a second browser gets the same open chat with its history, and can go on with it', async () => {
    service = await ServiceProcess.start(await ServiceProcess.configFile({ identity: IDENTITY }));
    const agent = await availableAgent();
    const laptop = await customer('browser-laptop', { userToken: await userToken() });
    const started = await laptop.request({ type: 'start', prechat: { name: 'Dana' } });
    const { sessionId, resumeToken: laptopResume } = started.data as { sessionId: string; resumeToken: string };
    assert.equal((await laptop.request({ type: 'message', cmid: 'm-1', text: 'Where is my order?' })).type, 'ack');
    const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await agent.request({ type: 'accept', offerId: offer.offerId });
    assert.equal((await agent.request({ type: 'reply', sessionId, cmid: 'a-1', text: 'On its way.' })).type, 'ack');

    const phone = await customer('browser-phone', { userToken: await userToken() });
    const welcome = welcomeOf(phone);
    assert.equal(welcome.sessionId, sessionId);
    assert.equal(welcome.replay, 'events');
    await phone.next((frame) => frame.type === 'event' && frame.event.kind === 'message' && frame.event.cmid === 'a-1');
    const texts = phone.events(sessionId).flatMap((frame) => (frame.event.kind === 'message' ? [frame.event.text] : []));
    assert.deepEqual(texts, ['Where is my order?', 'On its way.']);

    // The phone writes to the same chat; the agent and the laptop both see it.
    assert.equal((await phone.request({ type: 'message', cmid: 'm-2', text: 'Thanks!' })).type, 'ack');
    await agent.next((frame) => frame.type === 'event' && frame.sessionId === sessionId && frame.event.kind === 'message' && frame.event.cmid === 'm-2');
    await laptop.next((frame) => frame.type === 'event' && frame.event.kind === 'message' && frame.event.cmid === 'm-2');
    // A second start on the phone is the same chat, not another.
    assert.equal((await phone.request({ type: 'start', prechat: {} })).code, 'session_exists');

    // The phone's resume token is the phone's: it resumes there without the user token.
    const again = await customer('browser-phone', { resumeToken: welcome.resumeToken, lastSeq: 3 });
    assert.equal(welcomeOf(again).sessionId, sessionId);
    assert.deepEqual(errorCodes(again), []);

    // Another user, or the laptop's token under another user, never gets Dana's chat.
    const mulder = await customer('browser-mulder', { userToken: await userToken({ sub: 'user-7', name: 'Fox Mulder' }) });
    assert.equal(welcomeOf(mulder).sessionId, undefined);
    const switched = await customer('browser-laptop', { resumeToken: laptopResume, userToken: await userToken({ sub: 'user-7' }) });
    assert.equal(welcomeOf(switched).sessionId, undefined);
    assert.equal(switched.events(sessionId).length, 0);
  });

  it('I1: the agent sees the verified name, email and attributes apart from the unverified pre-chat and hidden fields', async () => {
    service = await ServiceProcess.start(await ServiceProcess.configFile({ identity: IDENTITY }));
    const agent = await availableAgent('ben');
    const client = await customer('browser-dana', { userToken: await userToken() });
    const started = await client.request({ type: 'start', prechat: { name: 'Queen of Sheba', order: 'A-1001' } });
    const { sessionId } = started.data as { sessionId: string };
    const verified = { userId: 'user-42', name: 'Dana Scully', email: 'dana@example.com', attributes: { plan: 'pro', seats: '3' } };

    const offer = await agent.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    assert.deepEqual(offer.identity, verified);
    assert.deepEqual(offer.prechat, { name: 'Queen of Sheba', order: 'A-1001' });
    const waiting = agent.frames.flatMap((frame) => (frame.type === 'waiting-list' ? frame.entries : []));
    assert.deepEqual(waiting.find((entry) => entry.sessionId === sessionId)?.identity, verified);

    await agent.request({ type: 'accept', offerId: offer.offerId });
    const work = await agent.next((frame) => frame.type === 'work' && (frame.items as Array<{ sessionId: string }>).some((item) => item.sessionId === sessionId));
    const item = (work.items as Array<Record<string, unknown>>).find((candidate) => candidate.sessionId === sessionId)!;
    assert.deepEqual(item.identity, verified);
    assert.deepEqual(item.prechat, { name: 'Queen of Sheba', order: 'A-1001' });
  });

  describe('with keys published as a JWKS', () => {
    let jwks: Server;
    let jwksUrl: string;
    let privateKey: CryptoKey;
    before(async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      privateKey = pair.privateKey;
      const key = { ...(await exportJWK(pair.publicKey)), kid: 'site-1', alg: 'ES256', use: 'sig' };
      jwks = createServer((_request, response) => response.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [key] })));
      jwks.listen(0, '127.0.0.1');
      await once(jwks, 'listening');
      const address = jwks.address() as { port: number };
      jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
    });
    after(() => jwks.close());

    it('I1: verifies tokens signed with a published key, and refuses an HMAC token passed off as one (algorithm confusion)', async () => {
      service = await ServiceProcess.start(await ServiceProcess.configFile({ identity: { jwksUrl, ...SITE } }));
      const now = Math.floor(Date.now() / 1000);
      const signed = await new SignJWT(DANA).setProtectedHeader({ alg: 'ES256', kid: 'site-1' }).setIssuer(SITE.issuer).setAudience(SITE.audience).setExpirationTime(now + 600).sign(privateKey);
      const good = await customer('browser-jwks', { userToken: signed });
      assert.deepEqual(errorCodes(good), []);
      assert.equal(welcomeOf(good).userId, 'user-42');
      const confused = await customer('browser-hmac', { userToken: await userToken() });
      assert.deepEqual(errorCodes(confused), ['bad_identity']);
      assert.equal(welcomeOf(confused).userId, undefined);
    });
  });
});
