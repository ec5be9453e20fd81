import { expect } from '@open-wc/testing';
import { SignJWT, type JWTPayload } from 'jose';
import { createChatClient, createMemoryChatStore, type ChatClient, type ParleyError } from '@parley/sdk';
import type { ParleyChatPanel } from '@parley/widget/panel';
import { RawAgent, startService, until, type LiveService } from '../../sdk/src/test-support/live-service.js';

const SITE_SECRET = 'site-identity-secret-0123456789-0123456789';
const IDENTITY = { secret: SITE_SECRET, issuer: 'https://shop.example', audience: 'parley:shop' };
const DANA = { sub: 'user-42', name: 'Dana Scully', email: 'dana@example.com' };

/** A user token as the site's backend signs it (with another secret: forged). */
function userToken(claims: JWTPayload = DANA, secret = SITE_SECRET): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(IDENTITY.issuer)
    .setAudience(IDENTITY.audience)
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
    .sign(new TextEncoder().encode(secret));
}

type Page = Window & { parley: { open(): Promise<void>; identify(token: string): Promise<void> } };

/** A shop page embedding the widget with the one-line script tag (and `extra` attributes). */
async function pageWithScriptTag(endpoint: string, extra = ''): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position: fixed; inset: 0; width: 640px; height: 560px; border: 0';
  frame.srcdoc = `<!doctype html><html lang="en"><head></head><body><p>A shop</p>
    <script src="/packages/widget/dist/parley-chat.js" data-endpoint="${endpoint}" data-button="sales" ${extra} async></script>
    </body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

/** Waits for something in the page to become true, checking once per animation frame (no timers). */
async function frameUntil<T>(what: string, check: () => T | undefined | null | false, frames = 600): Promise<T> {
  for (let frame = 0; frame < frames; frame++) {
    const value = check();
    if (value) return value;
    await new Promise(requestAnimationFrame);
  }
  throw new Error(`never happened: ${what}`);
}

async function panelClient(frame: HTMLIFrameElement): Promise<{ panel: ParleyChatPanel; client: ChatClient }> {
  const page = frame.contentWindow as Page;
  await frameUntil('the page API', () => page.parley);
  await page.parley.open();
  const chat = await frameUntil('the widget', () => page.document.querySelector('parley-chat'));
  const panel = await frameUntil('the panel', () => chat.shadowRoot!.querySelector<ParleyChatPanel>('parley-chat-panel'));
  return { panel, client: panel.client as ChatClient };
}

/** Dana's chat, begun in another browser (the SDK, with its own storage and no tabs), with one message. */
async function chatOnAnotherBrowser(service: LiveService): Promise<{ laptop: ChatClient; agent: RawAgent; sessionId: string }> {
  const agent = await RawAgent.connect(service, 'ana');
  await agent.request({ type: 'presence', status: 'available' });
  const laptop = createChatClient({ endpoint: service.url, button: 'sales', store: createMemoryChatStore(), locks: undefined, BroadcastChannel: undefined, userToken: await userToken() });
  await until(laptop.availability$, (availability) => availability?.online === true);
  const sessionId = await laptop.start({ name: 'Dana' });
  await laptop.send('Sent from my laptop');
  return { laptop, agent, sessionId };
}

describe('verified identity in the script-tag widget', () => {
  // Each test's service has its own address, so each page's stored chat is its own, like another browser's.
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it("I1: data-user-token signs the customer in: the widget shows the user's open chat from another browser", async () => {
    const service = await startService({ identity: IDENTITY });
    const { laptop, agent, sessionId } = await chatOnAnotherBrowser(service);
    const frame = await pageWithScriptTag(service.url, `data-user-token="${await userToken()}"`);
    const { panel, client } = await panelClient(frame);
    const session = await until(client.session$, (view) => view.state === 'waiting');
    expect(session.state).to.equal('waiting');
    await until(client.messages$, (messages) => messages.some((message) => message.text === 'Sent from my laptop'));
    await panel.updateComplete;
    expect(panel.shadowRoot!.textContent).to.contain('Sent from my laptop');
    const offer = await agent.seen((candidate) => candidate.type === 'offer' && candidate.sessionId === sessionId);
    expect((offer.identity as { name: string }).name).to.equal('Dana Scully');
    laptop.close();
    agent.close();
  });

  it('I1: parley.identify() rejects a forged token with bad_identity, then signs the customer in with a genuine one', async () => {
    const service = await startService({ identity: IDENTITY });
    const { laptop, agent } = await chatOnAnotherBrowser(service);
    const frame = await pageWithScriptTag(service.url);
    const { client } = await panelClient(frame);
    await until(client.connection$, (state) => state.status === 'open');
    expect((await until(client.session$, () => true)).state).to.equal('none');
    const page = frame.contentWindow as Page;
    const refused = await page.parley.identify(await userToken(DANA, 'a-forged-secret-0123456789-0123456789-01')).then(
      () => undefined,
      (error: unknown) => error as ParleyError,
    );
    expect(refused?.code).to.equal('bad_identity');
    expect((await until(client.session$, () => true)).state).to.equal('none');
    await page.parley.identify(await userToken());
    await until(client.messages$, (messages) => messages.some((message) => message.text === 'Sent from my laptop'));
    laptop.close();
    agent.close();
  });
});
