import { expect } from '@open-wc/testing';
import { SignJWT, type JWTPayload } from 'jose';
import { createChatClient, createMemoryChatStore, ParleyError, type ChatClient, type ChatNotice } from '@parley/sdk';
import { RawAgent, startService, until, type LiveService } from '../test-support/live-service.js';

/** The service's `identity` configuration, and a token as the site's backend signs it. */
const SITE_SECRET = 'site-identity-secret-0123456789-0123456789';
const IDENTITY = { secret: SITE_SECRET, issuer: 'https://shop.example', audience: 'parley:shop' };
const DANA = { sub: 'user-42', name: 'Dana Scully', email: 'dana@example.com', attributes: { plan: 'pro' } };

function userToken(claims: JWTPayload = DANA, patch: { secret?: string; audience?: string; expiresAt?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(IDENTITY.issuer)
    .setAudience(patch.audience ?? IDENTITY.audience)
    .setExpirationTime(patch.expiresAt ?? now + 600)
    .sign(new TextEncoder().encode(patch.secret ?? SITE_SECRET));
}

/** A browser of its own: its own storage, no tabs to share with. */
function browser(service: LiveService, userTokenOption?: string): ChatClient {
  return createChatClient({
    endpoint: service.url,
    button: 'sales',
    store: createMemoryChatStore(),
    locks: undefined,
    BroadcastChannel: undefined,
    ...(userTokenOption ? { userToken: userTokenOption } : {}),
  });
}

async function availableAgent(service: LiveService): Promise<RawAgent> {
  const agent = await RawAgent.connect(service, 'ana');
  await agent.request({ type: 'presence', status: 'available' });
  return agent;
}

describe('verified identity against the real service', () => {
  it("I1: a verified user's open chat and its history follow them to a second browser, signed in with identify()", async () => {
    const service = await startService({ identity: IDENTITY });
    const agent = await availableAgent(service);
    const laptop = browser(service, await userToken());
    await until(laptop.availability$, (availability) => availability?.online === true);
    const sessionId = await laptop.start({ name: 'Dana' });
    await laptop.send('Where is my order?');
    const offer = await agent.seen((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    expect((offer.identity as { userId: string }).userId).to.equal('user-42');
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await agent.request({ type: 'reply', sessionId, cmid: 'a-1', text: 'On its way.' });

    // The phone starts anonymous, then the page signs Dana in.
    const phone = browser(service);
    await until(phone.connection$, (state) => state.status === 'open');
    expect((await until(phone.session$, () => true)).state).to.equal('none');
    await phone.identify(await userToken());
    await until(phone.session$, (session) => session.state === 'active');
    const history = await until(phone.messages$, (messages) => messages.length === 2);
    expect(history.map((message) => message.text)).to.deep.equal(['Where is my order?', 'On its way.']);

    await phone.send('Thanks, from my phone');
    await agent.seen((frame) => frame.type === 'event' && frame.sessionId === sessionId && (frame.event as { text?: string }).text === 'Thanks, from my phone');
    await until(laptop.messages$, (messages) => messages.some((message) => message.text === 'Thanks, from my phone'));
    laptop.close();
    phone.close();
    agent.close();
  });

  it('I1: identify() with a forged, expired or wrong-audience token rejects with bad_identity, and the chat goes on anonymously', async () => {
    const service = await startService({ identity: IDENTITY });
    const agent = await availableAgent(service);
    const chat = browser(service);
    const notices: ChatNotice[] = [];
    chat.notices$.subscribe((notice) => notices.push(notice));
    await until(chat.connection$, (state) => state.status === 'open');
    const bad = [
      await userToken(DANA, { secret: 'another-secret-0123456789-0123456789-0123' }),
      await userToken(DANA, { expiresAt: Math.floor(Date.now() / 1000) - 3600 }),
      await userToken(DANA, { audience: 'parley:another-shop' }),
    ];
    for (const token of bad) {
      const refused = await chat.identify(token).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(ParleyError);
      expect((refused as ParleyError).code).to.equal('bad_identity');
    }
    expect(notices.filter((notice) => notice.kind === 'identity-refused').length).to.equal(3);
    await until(chat.availability$, (availability) => availability?.online === true);
    const sessionId = await chat.start({ name: 'Dana' });
    const offer = await agent.seen((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    expect(offer.identity).to.equal(undefined);
    chat.close();
    agent.close();
  });

  it('I1: where identity is required, an anonymous start rejects with identity_required; a token given as an option starts the chat', async () => {
    const service = await startService({ identity: { ...IDENTITY, required: true } });
    const agent = await availableAgent(service);
    const anonymous = browser(service);
    await until(anonymous.availability$, (availability) => availability?.online === true);
    const refused = await anonymous.start({ name: 'Dana' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((refused as ParleyError).code).to.equal('identity_required');
    const signedIn = browser(service, await userToken());
    await until(signedIn.availability$, (availability) => availability?.online === true);
    expect(await signedIn.start({ name: 'Dana' })).to.be.a('string');
    anonymous.close();
    signedIn.close();
    agent.close();
  });
});
