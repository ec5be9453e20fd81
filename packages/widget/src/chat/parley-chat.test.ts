import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { ParleyChat, type PanelModule } from '@parley/widget';
import { ParleyChatPanel } from '@parley/widget/panel';
import { FakeChatClient, message } from '../test-support/fake-chat-client.js';
import { click, press } from '../test-support/input.js';
import { RawAgent, startService, type LiveService } from '../../../sdk/src/test-support/live-service.js';

/** The panel module, with a fake client in place of the real one. */
function fakePanels(client: FakeChatClient): () => Promise<PanelModule> {
  return async () => ({
    mountPanel: () => {
      const panel = new ParleyChatPanel();
      panel.client = client;
      return panel;
    },
  });
}

const launcher = (chat: ParleyChat) => chat.shadowRoot!.querySelector<HTMLButtonElement>('[part=launcher]')!;
const panelOf = (chat: ParleyChat) => chat.shadowRoot!.querySelector<ParleyChatPanel>('parley-chat-panel');

describe('<parley-chat>', () => {
  let service: LiveService;
  const original = ParleyChat.loadPanel;
  before(async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    service = await startService();
  });
  afterEach(() => (ParleyChat.loadPanel = original));

  it('C1, C2: renders the launcher at once, then labels it from the availability read over HTTP', async () => {
    ParleyChat.loadPanel = undefined;
    const offline = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
    expect((await oneEvent(offline, 'parley-availability')).detail.online).to.equal(false);
    expect(launcher(offline).textContent).to.contain('Leave a message');
    // The read is cacheable for a few seconds, so the online case asks another service.
    const staffed = await startService();
    const agent = await RawAgent.connect(staffed, 'ana');
    await agent.request({ type: 'presence', status: 'available' });
    const online = await fixture<ParleyChat>(html`<parley-chat endpoint=${staffed.url} button="sales"></parley-chat>`);
    expect((await oneEvent(online, 'parley-availability')).detail.online).to.equal(true);
    expect(launcher(online).textContent).to.contain('Chat with us');
    expect(launcher(online).getAttribute('aria-expanded')).to.equal('false');
    await expect(online).to.be.accessible();
    agent.close();
  });

  it('C2: a panel whose connection has not heard availability yet neither clears the launcher\'s label nor tells the page of an empty availability', async () => {
    const client = new FakeChatClient();
    client.availability$.next(undefined);
    ParleyChat.loadPanel = fakePanels(client);
    const shown: unknown[] = [];
    // Recorded from the start: the HTTP read may be answered from the cache before the fixture returns.
    let heard = () => {};
    const first = new Promise<void>((resolve) => (heard = resolve));
    const record = (event: CustomEvent) => {
      shown.push(event.detail);
      heard();
    };
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales" @parley-availability=${record}></parley-chat>`);
    await first;
    await chat.open();
    await panelOf(chat)!.updateComplete;
    chat.close();
    expect(shown.map((detail) => (detail as { online?: boolean } | null)?.online)).to.deep.equal([false]);
    expect(launcher(chat).textContent).to.contain('Leave a message');
  });

  it('C9: opens with a pointer, focus moves into the panel, Escape closes and focus returns to the launcher', async () => {
    const client = new FakeChatClient();
    ParleyChat.loadPanel = fakePanels(client);
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
    const opened = oneEvent(chat, 'parley-open');
    await click(launcher(chat));
    await opened;
    const panel = panelOf(chat)!;
    await panel.updateComplete;
    expect(launcher(chat).getAttribute('aria-expanded')).to.equal('true');
    expect(panel.shadowRoot!.activeElement?.getAttribute('name')).to.equal('name');
    await expect(chat).to.be.accessible();
    const closed = oneEvent(chat, 'parley-close');
    await press('Escape');
    await closed;
    expect(chat.shadowRoot!.activeElement).to.equal(launcher(chat));
    expect(chat.isOpen).to.equal(false);
  });

  it('C8: shows the unread count on the launcher while minimised, and clears it on open', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active' });
    ParleyChat.loadPanel = fakePanels(client);
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
    await chat.open();
    chat.close();
    const counted = oneEvent(chat, 'parley-unread');
    client.messages$.next([message('m1', 'agent', 'Are you there?'), message('m2', 'agent', 'Hello?')]);
    await counted;
    const badge = chat.shadowRoot!.querySelector<HTMLElement>('[part=unread]')!;
    expect([badge.hidden, badge.textContent]).to.deep.equal([false, '2']);
    expect(launcher(chat).getAttribute('aria-label')).to.contain('2 unread messages');
    await chat.open();
    await panelOf(chat)!.updateComplete;
    expect(badge.hidden).to.equal(true);
  });

  it('C3: hidden fields set by the page go with the pre-chat form', async () => {
    const client = new FakeChatClient();
    ParleyChat.loadPanel = fakePanels(client);
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
    chat.setHiddenFields({ plan: 'pro' });
    await chat.open();
    const panel = panelOf(chat)!;
    await panel.updateComplete;
    panel.shadowRoot!.querySelector<HTMLInputElement>('input[name=name]')!.value = 'Dana';
    await click(panel.shadowRoot!.querySelector('button[type=submit]')!);
    expect(client.called('start')).to.deep.equal([[{ plan: 'pro', name: 'Dana' }]]);
  });

  it('C2: on a page whose origin the service refuses, the widget hides (never "Leave a message") and logs one line naming the setting', async () => {
    const elsewhere = await startService({ allowedOrigins: ['https://shop.example'] });
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    try {
      // The real panel and client: the service refuses the socket of a page from another origin.
      const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${elsewhere.url} button="sales"></parley-chat>`);
      expect(launcher(chat).querySelector('span')!.textContent).to.equal('Chat');
      const hidden = new Promise<void>((resolve) => new MutationObserver((_, observer) => chat.hidden && (observer.disconnect(), resolve())).observe(chat, { attributes: true }));
      await chat.open();
      await hidden;
      expect(chat.hidden).to.equal(true);
      expect(getComputedStyle(chat).display).to.equal('none');
      expect(launcher(chat).textContent).to.not.contain('Leave a message');
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain(`Add ${location.origin} to the service's allowedOrigins (PARLEY_ALLOWED_ORIGINS)`);
      expect(chat.isOpen).to.equal(false);
      await chat.open();
      expect(chat.isOpen).to.equal(false);
    } finally {
      console.error = original;
    }
  });

  it('C8: while a chat is open and the panel minimised, the launcher is about that chat (unread count), never about availability', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    ParleyChat.loadPanel = fakePanels(client);
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
    await chat.open();
    chat.close();
    client.availability$.next({ button: 'sales', online: false, reason: 'capacity', window: undefined, stale: false });
    const counted = oneEvent(chat, 'parley-unread');
    client.messages$.next([message('m1', 'agent', 'One moment')]);
    await counted;
    expect(launcher(chat).textContent).to.equal('Your chat1');
    expect(launcher(chat).getAttribute('aria-label')).to.equal('Your chat, 1 unread message');
    client.session$.next({ state: 'ended', reason: 'agent-ended' });
    await panelOf(chat)!.updateComplete;
    expect(launcher(chat).textContent).to.contain('Leave a message');
  });

  it('C9: Escape closes the panel when focus is on the launcher too', async () => {
    ParleyChat.loadPanel = fakePanels(new FakeChatClient());
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
    await chat.open();
    launcher(chat).focus();
    const closed = oneEvent(chat, 'parley-close');
    await press('Escape');
    await closed;
    expect(chat.isOpen).to.equal(false);
  });

  it('C9: the launcher and panel take the page scheme (light under a dark OS), and the theme attribute overrides', async () => {
    const client = new FakeChatClient();
    ParleyChat.loadPanel = fakePanels(client);
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
      await chat.open();
      const panel = panelOf(chat)!;
      await panel.updateComplete;
      expect(getComputedStyle(launcher(chat)).backgroundColor).to.equal('rgb(29, 78, 216)');
      expect(getComputedStyle(panel.shadowRoot!.querySelector('[part=panel]')!).backgroundColor).to.equal('rgb(255, 255, 255)');
      chat.setAttribute('theme', 'dark');
      await panel.updateComplete;
      expect(getComputedStyle(launcher(chat)).backgroundColor).to.equal('rgb(147, 197, 253)');
      expect(getComputedStyle(panel.shadowRoot!.querySelector('[part=panel]')!).backgroundColor).to.equal('rgb(17, 24, 39)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});
